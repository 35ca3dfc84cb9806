import type { SealedPersonalData } from '@vaops/contracts';
import { defineDecider } from '@vaops/event-sourcing';
import { PeopleErrors } from '../people/people.errors';
import type { ErasePerson } from '../people/personal-data';
import { evolveClient, initialClientState, type ClientEvent, type ClientState } from './client';

export type ClientCommand =
  | {
      type: 'RegisterClient';
      /** name and email sealed under the client's key by the route (the decider holds no keys) */
      data: { clientId: string; name: SealedPersonalData; email: SealedPersonalData; timezone: string; currency: string };
    }
  | ErasePerson;

export const clientDecider = defineDecider<ClientCommand, ClientEvent, ClientState>({
  initialState: initialClientState,
  evolve: evolveClient,
  decide: {
    RegisterClient(command, state) {
      // the id is the request's own (seeded by its Idempotency-Key): it exists only if this request was decided before
      if (state.status !== 'none') return [];
      return [{ type: 'ClientRegistered', data: { ...command.data } }];
    },
    ErasePerson(command, state) {
      if (state.status !== 'registered') throw PeopleErrors.notFound('no such client');
      if (state.erasedAt !== null) throw PeopleErrors.alreadyErased(`client ${state.clientId} was erased at ${state.erasedAt}`);
      return [{ type: 'PersonErased', data: { personId: state.clientId, kind: 'client', erasedAt: command.data.erasedAt } }];
    },
  },
});
