import { defineDecider } from '@vaops/event-sourcing';
import { evolveClient, initialClientState, type ClientEvent, type ClientState } from './client';

export type ClientCommand = {
  type: 'RegisterClient';
  data: { clientId: string; name: string; email: string; timezone: string; currency: string };
};

export const clientDecider = defineDecider<ClientCommand, ClientEvent, ClientState>({
  initialState: initialClientState,
  evolve: evolveClient,
  decide: {
    RegisterClient(command, state) {
      // the id is the request's own (seeded by its Idempotency-Key): it exists only if this request was decided before
      if (state.status !== 'none') return [];
      return [{ type: 'ClientRegistered', data: { ...command.data } }];
    },
  },
});
