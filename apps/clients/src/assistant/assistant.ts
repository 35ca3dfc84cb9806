import type { AssistantRegisteredV1 } from '@vaops/contracts';

// ---------------------------------------------------------------- events

export type AssistantEvent = { type: 'AssistantRegistered'; data: AssistantRegisteredV1 };

// ---------------------------------------------------------------- state

export type AssistantState = { status: 'none' } | ({ status: 'registered' } & AssistantRegisteredV1);

export const initialAssistantState = (): AssistantState => ({ status: 'none' });

export function evolveAssistant(state: AssistantState, event: AssistantEvent): AssistantState {
  switch (event.type) {
    case 'AssistantRegistered':
      return { status: 'registered', ...event.data };
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
}

export const assistantStreamId = (assistantId: string): string => `assistant-${assistantId}`;
