import {
  Topics,
  type AppointmentKeptV1,
  type CommunicationLoggedV1,
  type EngagementEndedV1,
  type EngagementNoticeGivenV1,
  type EngagementPhaseChangedV1,
  type EngagementPlanChangedV1,
  type EngagementStartedV1,
  type EngagementWentSilentV1,
  type EventEnvelope,
  type Phase,
  type PhasePeriod,
  type PlanV1,
  type ReviewCadenceSetV1,
  type TimeEntryLoggedV1,
} from '@vaops/contracts';
import { applyVersioned, type ProjectionDefinition, type ReadModelStore } from '@vaops/projections';

export interface HistoryEntry {
  type: string;
  at: string;
  actor: { sub: string; role: string };
  /** Event data as published; plan entries are hidden from assistants at read time. */
  data: Record<string, unknown>;
}

export interface EngagementDoc extends Omit<EngagementStartedV1, 'engagementId'> {
  _id: string;
  _v: number;
  agencyId: string;
  status: 'active' | 'in-notice' | 'ended';
  phaseHistory: PhasePeriod[];
  plans: { plan: PlanV1; effectiveOn: string }[];
  notice: Omit<EngagementNoticeGivenV1, 'engagementId'> | null;
  endsOn: string | null;
  endedBy: 'notice' | 'breach' | null;
  endedOn: string | null;
  lastActivityAt: string;
  lastReviewAt: string | null;
  reviewEveryDays: number | null;
  silentSince: string | null;
  history: HistoryEntry[];
}

export const ENGAGEMENT_DETAILS = 'clients.engagement-details';
const COLL = 'engagement_details';

/**
 * Signs of life other services report (kept appointments, logged time), per engagement. A collection of its
 * own, updated with $max and upserted: the order in which two topics arrive cannot change it, so a
 * rebuild equals the live read model.
 */
export const ENGAGEMENT_ACTIVITY = 'engagement_activity';
export interface EngagementActivityDoc {
  _id: string;
  lastKeptAppointmentAt?: string;
  /** End of the latest logged time entry (the work itself, not when it was typed in). */
  lastTimeLoggedAt?: string;
}

/** The latest sign of life other services reported for an engagement, if any. */
export const otherActivityAt = (a: EngagementActivityDoc | null | undefined): string | null =>
  [a?.lastKeptAppointmentAt, a?.lastTimeLoggedAt].filter((x): x is string => !!x).sort((x, y) => Date.parse(y) - Date.parse(x))[0] ?? null;

const entry = (e: EventEnvelope): HistoryEntry => ({
  type: e.type,
  at: e.metadata.occurredAt,
  actor: { sub: e.metadata.actor.sub, role: e.metadata.actor.role },
  data: e.data as Record<string, unknown>,
});

type Update = { $set?: Record<string, unknown>; $push?: Record<string, unknown>; $max?: Record<string, unknown> };

async function apply(store: ReadModelStore, e: EventEnvelope, update: Update) {
  const id = (e.data as { engagementId: string }).engagementId;
  await applyVersioned(store.collection(COLL), id, e.version, { ...update, $push: { ...(update.$push ?? {}), history: entry(e) } });
}

export const engagementDetailsProjection = (topicPrefix = ''): ProjectionDefinition => ({
  name: ENGAGEMENT_DETAILS,
  topics: [`${topicPrefix}${Topics.clients}`, `${topicPrefix}${Topics.scheduling}`, `${topicPrefix}${Topics.timeTracking}`],
  collections: {
    [ENGAGEMENT_ACTIVITY]: {},
    [COLL]: { indexes: [{ key: { agencyId: 1, _id: 1 } }, { key: { agencyId: 1, clientId: 1 } }, { key: { agencyId: 1, assistantId: 1 } }, { key: { status: 1 } }] },
  },
  handlers: {
    EngagementStarted: async (e, store) => {
      const { engagementId: _id, ...d } = e.data as EngagementStartedV1;
      await apply(store, e, {
        $set: {
          ...d,
          agencyId: e.metadata.agencyId,
          status: 'active',
          phaseHistory: [{ phase: d.phase, from: e.metadata.occurredAt }],
          plans: [{ plan: d.plan, effectiveOn: d.startsOn }],
          notice: null,
          endsOn: null,
          endedBy: null,
          endedOn: null,
          lastActivityAt: d.startsOn,
          lastReviewAt: null,
          reviewEveryDays: null,
          silentSince: null,
        },
      });
    },
    EngagementPhaseChanged: async (e, store) => {
      const d = e.data as EngagementPhaseChangedV1;
      await apply(store, e, { $set: { phase: d.to as Phase }, $push: { phaseHistory: { phase: d.to, from: d.effectiveAt } } });
    },
    EngagementPlanChanged: async (e, store) => {
      const d = e.data as EngagementPlanChangedV1;
      await apply(store, e, { $push: { plans: { plan: d.plan, effectiveOn: d.effectiveOn } } });
    },
    EngagementNoticeGiven: async (e, store) => {
      const { engagementId: _id, ...d } = e.data as EngagementNoticeGivenV1;
      await apply(store, e, { $set: { status: 'in-notice', notice: d, endsOn: d.endsOn } });
    },
    EngagementEnded: async (e, store) => {
      const d = e.data as EngagementEndedV1;
      await apply(store, e, { $set: { status: 'ended', endedBy: d.endedBy, endedOn: d.endedOn, endsOn: d.endedOn } });
    },
    CommunicationLogged: async (e, store) => {
      const d = e.data as CommunicationLoggedV1;
      // Every channel counts as activity; calls, video and visits also count as a review conversation.
      await apply(store, e, { $max: { lastActivityAt: d.occurredAt, ...(d.channel !== 'message' ? { lastReviewAt: d.occurredAt } : {}) } });
    },
    // From the scheduling service's topic: a kept appointment is a sign of life.
    AppointmentKept: async (e, store) => {
      const { engagementId } = e.data as AppointmentKeptV1;
      await store.collection<EngagementActivityDoc>(ENGAGEMENT_ACTIVITY).updateOne({ _id: engagementId }, { $max: { lastKeptAppointmentAt: e.metadata.occurredAt } }, { upsert: true });
    },
    // From the time-tracking service's topic: logged time is a sign of life, at the end of the work.
    TimeEntryLogged: async (e, store) => {
      const { engagementId, endedAt } = e.data as TimeEntryLoggedV1;
      await store.collection<EngagementActivityDoc>(ENGAGEMENT_ACTIVITY).updateOne({ _id: engagementId }, { $max: { lastTimeLoggedAt: new Date(endedAt).toISOString() } }, { upsert: true });
    },
    ReviewCadenceSet: async (e, store) => {
      const d = e.data as ReviewCadenceSetV1;
      await apply(store, e, { $set: { reviewEveryDays: d.everyDays } });
    },
    EngagementWentSilent: async (e, store) => {
      const d = e.data as EngagementWentSilentV1;
      await apply(store, e, { $set: { silentSince: d.lastActivityAt } });
    },
  },
});
