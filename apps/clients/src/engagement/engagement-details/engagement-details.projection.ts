import { Controller, Injectable } from '@nestjs/common';
import type { Collection, Document, Filter } from 'mongodb';
import { Topics, type EngagementNoticeGivenV1, type PersonalData, type EngagementStartedV1, type Phase, type PhasePeriod, type PlanV1, type PublicEvent } from '@vaops/contracts';
import { ProjectionHandler, collectionOf, readModelFor, type PartyScope, type ProjectionSpec } from '@vaops/platform';
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
  /** `reason` encrypted under the engagement's key (plaintext only in an as-of view of an event stored before encryption). */
  notice: (Omit<EngagementNoticeGivenV1, 'engagementId' | 'reason'> & { reason: PersonalData | string }) | null;
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
const ENGAGEMENT_ACTIVITY = 'engagement_activity';
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

/** Which of an agency's engagements a page holds (the caller's role already applied). */
export interface EngagementFilter extends PartyScope {
  status?: EngagementDoc['status'];
  /** The cursor: engagements after this id. */
  after?: string;
}

/** What the scheduler's checks read of an open engagement: its document without the history. */
export type OpenEngagement = Omit<EngagementDoc, 'history' | 'phaseHistory' | 'plans'>;

/** Engagement details and the signs of life other services reported, as routes and the scheduler read them. */
@Injectable()
export class EngagementDetails extends readModelFor(ENGAGEMENT_DETAILS, { details: collectionOf<EngagementDoc>(COLL), activity: collectionOf<EngagementActivityDoc>(ENGAGEMENT_ACTIVITY) }) {
  /** A page by id, with one more than `limit` when another page follows. */
  page(f: EngagementFilter, limit: number): Promise<EngagementDoc[]> {
    const filter: Filter<EngagementDoc> = { agencyId: f.agencyId };
    if (f.clientId !== undefined) filter.clientId = f.clientId;
    if (f.assistantId !== undefined) filter.assistantId = f.assistantId;
    if (f.status !== undefined) filter.status = f.status;
    if (f.after !== undefined) filter._id = { $gt: f.after };
    return this.collections.details.find(filter).sort({ _id: 1 }).limit(limit + 1).toArray();
  }

  byId(agencyId: string, id: string): Promise<EngagementDoc | null> {
    return this.collections.details.findOne({ _id: id, agencyId });
  }

  /** Whether the client has (or had) an engagement with the assistant. */
  async engages(agencyId: string, clientId: string, assistantId: string): Promise<boolean> {
    return (await this.collections.details.countDocuments({ agencyId, clientId, assistantId })) > 0;
  }

  /** The clients an assistant has (or had) an engagement with. */
  async clientsOfAssistant(agencyId: string, assistantId: string): Promise<string[]> {
    const rows = await this.collections.details.find({ agencyId, assistantId }, { projection: { clientId: 1 } }).toArray();
    return [...new Set(rows.map((r) => r.clientId))];
  }

  /** Every agency's active and in-notice engagements, without their history (the largest part of a document). */
  open(): Promise<OpenEngagement[]> {
    return this.collections.details.find({ status: { $in: ['active', 'in-notice'] } }, { projection: { history: 0, phaseHistory: 0, plans: 0 } }).toArray();
  }

  /** The statuses of these engagements, by id (those missing are not in the read model). */
  statuses(ids: string[]): Promise<Map<string, Pick<EngagementDoc, '_id' | 'status'>>> {
    return byIds(this.collections.details, ids, { status: 1 });
  }

  activityOf(id: string): Promise<EngagementActivityDoc | null> {
    return this.collections.activity.findOne({ _id: id });
  }

  /** The signs of life of these engagements, by id (none reported: missing). */
  activities(ids: string[]): Promise<Map<string, EngagementActivityDoc>> {
    return byIds(this.collections.activity, ids);
  }
}

/** Documents by `_id`, 500 ids per query. */
async function byIds<T extends { _id: string }>(coll: Collection<T>, ids: string[], projection?: Document): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (let i = 0; i < ids.length; i += 500) {
    const docs = await coll.find({ _id: { $in: ids.slice(i, i + 500) } } as Filter<T>, projection ? { projection } : {}).toArray();
    for (const d of docs) out.set(d._id, d as T);
  }
  return out;
}
