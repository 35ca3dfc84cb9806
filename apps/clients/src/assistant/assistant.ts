import type { AssistantCommitmentReleasedV1, AssistantCommitmentReservedV1, AssistantRegisteredV1, EngagementStartedV1 } from '@vaops/contracts';

// ---------------------------------------------------------------- events

/**
 * The assistant's stream also holds their commitments: every engagement reserves its hours here first,
 * appended at the stream's version, so two engagements created at the same instant cannot both pass
 * the capacity or exclusivity check.
 */
export type AssistantEvent =
  | { type: 'AssistantRegistered'; data: AssistantRegisteredV1 }
  // `start` (private) lets a crashed creation be rolled forward into the engagement's own stream
  | { type: 'AssistantCommitmentReserved'; data: AssistantCommitmentReservedV1 & { start: EngagementStartedV1 } }
  | { type: 'AssistantCommitmentReleased'; data: AssistantCommitmentReleasedV1 };

// ---------------------------------------------------------------- state

export interface Commitment {
  engagementId: string;
  clientId: string;
  kind: 'part-time' | 'full-time';
  weeklyHours: number;
  /** The engagement the hours were reserved for, so that a creation that died before starting it can be rolled forward. */
  start: EngagementStartedV1;
}

export type AssistantState =
  | { status: 'none' }
  | ({ status: 'registered'; commitments: Record<string, Commitment> } & AssistantRegisteredV1);

export const initialAssistantState = (): AssistantState => ({ status: 'none' });

export function evolveAssistant(state: AssistantState, event: AssistantEvent): AssistantState {
  switch (event.type) {
    case 'AssistantRegistered':
      return { status: 'registered', commitments: {}, ...event.data };
    case 'AssistantCommitmentReserved': {
      if (state.status !== 'registered') return state;
      const { engagementId, clientId, kind, weeklyHours, start } = event.data;
      return { ...state, commitments: { ...state.commitments, [engagementId]: { engagementId, clientId, kind, weeklyHours, start } } };
    }
    case 'AssistantCommitmentReleased': {
      if (state.status !== 'registered') return state;
      const { [event.data.engagementId]: _released, ...rest } = state.commitments;
      return { ...state, commitments: rest };
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

export const committedHours = (s: Extract<AssistantState, { status: 'registered' }>): number =>
  Object.values(s.commitments).reduce((sum, c) => sum + c.weeklyHours, 0);

export const assistantStreamId = (assistantId: string): string => `assistant-${assistantId}`;
