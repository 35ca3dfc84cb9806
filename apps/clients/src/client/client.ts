import type { ClientRegisteredV1 } from '@vaops/contracts';

// ---------------------------------------------------------------- events

export type ClientEvent = { type: 'ClientRegistered'; data: ClientRegisteredV1 };

// ---------------------------------------------------------------- state

export type ClientState =
  | { status: 'none' }
  | { status: 'registered'; clientId: string; name: string; email: string; timezone: string; currency: string };

export const initialClientState = (): ClientState => ({ status: 'none' });

export function evolveClient(state: ClientState, event: ClientEvent): ClientState {
  switch (event.type) {
    case 'ClientRegistered':
      return { status: 'registered', ...event.data };
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
}

export const clientStreamId = (clientId: string): string => `client-${clientId}`;
