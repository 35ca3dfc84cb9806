import { Controller } from '@nestjs/common';
import { Topics, type EngagementNoticeGivenV1, type EngagementStartedV1, type Phase, type PhasePeriod, type PlanV1, type PublicEvent } from '@vaops/contracts';
import { ProjectionHandler, type ProjectionSpec } from '@vaops/platform';
import { applyVersioned, type ReadModelStore } from '@vaops/projections';

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

/** The events of an engagement's stream this read model keeps in its history. */
type EngagementEvent = PublicEvent<
  'EngagementStarted' | 'EngagementPhaseChanged' | 'EngagementPlanChanged' | 'EngagementNoticeGiven' | 'EngagementEnded' | 'CommunicationLogged' | 'ReviewCadenceSet' | 'EngagementWentSilent'
>;

const entry = (e: EngagementEvent): HistoryEntry => ({
  type: e.type,
  at: e.metadata.occurredAt,
  actor: { sub: e.metadata.actor.sub, role: e.metadata.actor.role },
  data: { ...e.data },
});

type Update = { $set?: Record<string, unknown>; $push?: Record<string, unknown>; $max?: Record<string, unknown> };

async function apply(store: ReadModelStore, e: EngagementEvent, update: Update) {
  await applyVersioned(store.collection(COLL), e.data.engagementId, e.version, { ...update, $push: { ...(update.$push ?? {}), history: entry(e) } });
}

export const engagementDetailsSpec: ProjectionSpec = {
  name: ENGAGEMENT_DETAILS,
  topics: [Topics.clients, Topics.scheduling, Topics.timeTracking],
  collections: {
    [ENGAGEMENT_ACTIVITY]: {},
    [COLL]: { indexes: [{ key: { agencyId: 1, _id: 1 } }, { key: { agencyId: 1, clientId: 1 } }, { key: { agencyId: 1, assistantId: 1 } }, { key: { status: 1 } }] },
  },
};

@Controller()
export class EngagementDetailsProjection {
  @ProjectionHandler(engagementDetailsSpec, 'EngagementStarted')
  async onEngagementStarted(e: PublicEvent<'EngagementStarted'>, store: ReadModelStore): Promise<void> {
    const { engagementId: _id, ...d } = e.data;
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
  }

  @ProjectionHandler(engagementDetailsSpec, 'EngagementPhaseChanged')
  async onEngagementPhaseChanged(e: PublicEvent<'EngagementPhaseChanged'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await apply(store, e, { $set: { phase: d.to as Phase }, $push: { phaseHistory: { phase: d.to, from: d.effectiveAt } } });
  }

  @ProjectionHandler(engagementDetailsSpec, 'EngagementPlanChanged')
  async onEngagementPlanChanged(e: PublicEvent<'EngagementPlanChanged'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await apply(store, e, { $push: { plans: { plan: d.plan, effectiveOn: d.effectiveOn } } });
  }

  @ProjectionHandler(engagementDetailsSpec, 'EngagementNoticeGiven')
  async onEngagementNoticeGiven(e: PublicEvent<'EngagementNoticeGiven'>, store: ReadModelStore): Promise<void> {
    const { engagementId: _id, ...d } = e.data;
    await apply(store, e, { $set: { status: 'in-notice', notice: d, endsOn: d.endsOn } });
  }

  @ProjectionHandler(engagementDetailsSpec, 'EngagementEnded')
  async onEngagementEnded(e: PublicEvent<'EngagementEnded'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await apply(store, e, { $set: { status: 'ended', endedBy: d.endedBy, endedOn: d.endedOn, endsOn: d.endedOn } });
  }

  @ProjectionHandler(engagementDetailsSpec, 'CommunicationLogged')
  async onCommunicationLogged(e: PublicEvent<'CommunicationLogged'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    // Every channel counts as activity; calls, video and visits also count as a review conversation.
    await apply(store, e, { $max: { lastActivityAt: d.occurredAt, ...(d.channel !== 'message' ? { lastReviewAt: d.occurredAt } : {}) } });
  }

  // From the scheduling service's topic: a kept appointment is a sign of life.
  @ProjectionHandler(engagementDetailsSpec, 'AppointmentKept')
  async onAppointmentKept(e: PublicEvent<'AppointmentKept'>, store: ReadModelStore): Promise<void> {
    const { engagementId } = e.data;
    await store.collection<EngagementActivityDoc>(ENGAGEMENT_ACTIVITY).updateOne({ _id: engagementId }, { $max: { lastKeptAppointmentAt: e.metadata.occurredAt } }, { upsert: true });
  }

  // From the time-tracking service's topic: logged time is a sign of life, at the end of the work.
  @ProjectionHandler(engagementDetailsSpec, 'TimeEntryLogged')
  async onTimeEntryLogged(e: PublicEvent<'TimeEntryLogged'>, store: ReadModelStore): Promise<void> {
    const { engagementId, endedAt } = e.data;
    await store.collection<EngagementActivityDoc>(ENGAGEMENT_ACTIVITY).updateOne({ _id: engagementId }, { $max: { lastTimeLoggedAt: new Date(endedAt).toISOString() } }, { upsert: true });
  }

  @ProjectionHandler(engagementDetailsSpec, 'ReviewCadenceSet')
  async onReviewCadenceSet(e: PublicEvent<'ReviewCadenceSet'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await apply(store, e, { $set: { reviewEveryDays: d.everyDays } });
  }

  @ProjectionHandler(engagementDetailsSpec, 'EngagementWentSilent')
  async onEngagementWentSilent(e: PublicEvent<'EngagementWentSilent'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await apply(store, e, { $set: { silentSince: d.lastActivityAt } });
  }
}
