import { DomainError, type Decider } from '@vaops/event-sourcing';
import { evolveClient, initialClientState, type ClientEvent, type ClientState } from './client';

export type ClientCommand = {
  type: 'RegisterClient';
  data: { clientId: string; name: string; email: string; timezone: string; currency: string };
};

export function decideClient(command: ClientCommand, state: ClientState): ClientEvent[] {
  switch (command.type) {
    case 'RegisterClient':
      if (state.status !== 'none') throw new DomainError('CLIENT.ALREADY_EXISTS', 'conflict', `client ${command.data.clientId} already exists`);
      return [{ type: 'ClientRegistered', data: { ...command.data } }];
    default: {
      const _exhaustive: never = command.type;
      throw new Error(`unknown command ${String(_exhaustive)}`);
    }
  }
}

export const clientDecider: Decider<ClientCommand, ClientEvent, ClientState> = {
  initialState: initialClientState,
  evolve: evolveClient,
  decide: decideClient,
};
