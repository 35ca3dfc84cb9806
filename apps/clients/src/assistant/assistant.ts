import type { AssistantCommitmentReleasedV1, AssistantCommitmentReservedV2, AssistantRegisteredV1, EngagementStartedV1, Stored, StoredPersonalData } from '@vaops/contracts';
import type { PersonErasedEvent } from '../people/personal-data';

/** The assistant's name and email: encrypted under their key (plaintext in events stored before issue 15). */
export type AssistantRegisteredData = Omit<AssistantRegisteredV1, 'name' | 'email'> & { name: StoredPersonalData; email: StoredPersonalData };

// ---------------------------------------------------------------- events

/** A commitment's capacity override as stored: its reason sealed, or plaintext in events stored before. */
export type CommitmentReservedData = Omit<AssistantCommitmentReservedV2, 'capacityOverride'> & { capacityOverride: Stored<NonNullable<AssistantCommitmentReservedV2['capacityOverride']>> | null };

/**
 * The assistant's stream also holds their commitments: every engagement reserves its hours here first,
 * appended at the stream's version, so two engagements created at the same instant cannot both pass
 * the capacity or exclusivity check.
 */
export type AssistantEvent =
  | { type: 'AssistantRegistered'; data: AssistantRegisteredData }
  // `start` (private) lets a crashed creation be rolled forward into the engagement's own stream
  // the capacity-override reason encrypted under the engagement's key (plaintext in events stored before issue 15)
  | { type: 'AssistantCommitmentReserved'; data: CommitmentReservedData & { start: EngagementStartedV1 } }
  | { type: 'AssistantCommitmentReleased'; data: AssistantCommitmentReleasedV1 }
  | PersonErasedEvent;

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
  | ({ status: 'registered'; commitments: Record<string, Commitment>; erasedAt: string | null } & AssistantRegisteredData);

export const initialAssistantState = (): AssistantState => ({ status: 'none' });

export function evolveAssistant(state: AssistantState, event: AssistantEvent): AssistantState {
  switch (event.type) {
    case 'AssistantRegistered':
      return { status: 'registered', commitments: {}, erasedAt: null, ...event.data };
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
    case 'PersonErased':
      return state.status === 'registered' ? { ...state, erasedAt: event.data.erasedAt } : state;
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

export const committedHours = (s: Extract<AssistantState, { status: 'registered' }>): number =>
  Object.values(s.commitments).reduce((sum, c) => sum + c.weeklyHours, 0);

export const assistantStreamId = (assistantId: string): string => `assistant-${assistantId}`;
