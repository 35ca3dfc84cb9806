import type { EngagementStartedV1, HandoverPlannedV1, Phase, PlanV1, StoredEventOf } from '@vaops/contracts';

// ---------------------------------------------------------------- events

/** The engagement's stream holds its public events as they are published; free text (reasons, summaries) under the engagement's key. */
export type EngagementEvent = StoredEventOf<
  | 'EngagementStarted'
  | 'EngagementPhaseChanged'
  | 'EngagementPlanChanged'
  | 'EngagementNoticeGiven'
  | 'EngagementEnded'
  | 'CommunicationLogged'
  | 'ReviewCadenceSet'
  | 'EngagementWentSilent'
  | 'HandoverPlanned'
  | 'HandoverCancelled'
>;
type DataOf<T extends EngagementEvent['type']> = Extract<EngagementEvent, { type: T }>['data'];
export type EngagementNoticeGivenData = DataOf<'EngagementNoticeGiven'>;
export type EngagementEndedData = DataOf<'EngagementEnded'>;

// ---------------------------------------------------------------- state

export interface EngagementFacts extends EngagementStartedV1 {
  plans: { plan: PlanV1; effectiveOn: string }[];
  notice: EngagementNoticeGivenData | null;
  ended: EngagementEndedData | null;
  /** An instant, or the start date (read in the agency's zone). */
  lastActivityAt: string;
  /** lastActivityAt when the current silence was flagged, so one silence raises one alert. */
  silenceFlaggedFor: string | null;
  reviewEveryDays: number | null;
  /** The handover of this engagement (its notice) to a replacement, the latest one planned. */
  handover: (HandoverPlannedV1 & { status: 'planned' | 'cancelled' }) | null;
}

export type EngagementState =
  | { status: 'none' }
  | ({ status: 'active' | 'in-notice' | 'ended' } & EngagementFacts);

export const initialEngagementState = (): EngagementState => ({ status: 'none' });

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

export function evolveEngagement(state: EngagementState, event: EngagementEvent): EngagementState {
  if (event.type === 'EngagementStarted') {
    return {
      status: 'active',
      ...event.data,
      plans: [{ plan: event.data.plan, effectiveOn: event.data.startsOn }],
      notice: null,
      ended: null,
      lastActivityAt: event.data.startsOn,
      silenceFlaggedFor: null,
      reviewEveryDays: null,
      handover: null,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'EngagementPhaseChanged':
      return { ...state, phase: event.data.to };
    case 'EngagementPlanChanged':
      return { ...state, plans: [...state.plans, { plan: event.data.plan, effectiveOn: event.data.effectiveOn }] };
    case 'EngagementNoticeGiven':
      return { ...state, status: 'in-notice', notice: event.data };
    case 'EngagementEnded':
      return { ...state, status: 'ended', ended: event.data };
    case 'CommunicationLogged':
      return { ...state, lastActivityAt: later(event.data.occurredAt, state.lastActivityAt) };
    case 'ReviewCadenceSet':
      return { ...state, reviewEveryDays: event.data.everyDays };
    case 'EngagementWentSilent':
      return { ...state, silenceFlaggedFor: event.data.lastActivityAt };
    case 'HandoverPlanned':
      return { ...state, handover: { ...event.data, status: 'planned' } };
    case 'HandoverCancelled':
      return state.handover?.newEngagementId === event.data.newEngagementId ? { ...state, handover: { ...state.handover, status: 'cancelled' } } : state;
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

/** The plan in force on a date: the latest one whose effective date is on or before it. */
export function planOn(facts: Pick<EngagementFacts, 'plans'>, date: string): PlanV1 {
  let current = facts.plans[0].plan;
  for (const p of facts.plans) if (p.effectiveOn <= date) current = p.plan;
  return current;
}

export const engagementStreamId = (engagementId: string): string => `engagement-${engagementId}`;

export type { Phase };
