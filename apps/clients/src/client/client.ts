import type { ClientRegisteredV1, StoredPersonalData } from '@vaops/contracts';
import type { PersonErasedEvent } from '../people/personal-data';

// ---------------------------------------------------------------- events

/** The contact's name and email: encrypted under the client's key (plaintext in events stored before issue 15). */
export type ClientRegisteredData = Omit<ClientRegisteredV1, 'name' | 'email'> & { name: StoredPersonalData; email: StoredPersonalData };

export type ClientEvent = { type: 'ClientRegistered'; data: ClientRegisteredData } | PersonErasedEvent;

// ---------------------------------------------------------------- state

export type ClientState =
  | { status: 'none' }
  | ({ status: 'registered'; erasedAt: string | null } & ClientRegisteredData);

export const initialClientState = (): ClientState => ({ status: 'none' });

export function evolveClient(state: ClientState, event: ClientEvent): ClientState {
  switch (event.type) {
    case 'ClientRegistered':
      return { status: 'registered', erasedAt: null, ...event.data };
    case 'PersonErased':
      return state.status === 'registered' ? { ...state, erasedAt: event.data.erasedAt } : state;
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

export const clientStreamId = (clientId: string): string => `client-${clientId}`;
