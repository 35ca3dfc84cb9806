import { Controller, Injectable } from '@nestjs/common';
import type { Filter } from 'mongodb';
import { erasedPersonalData, Topics, type Money, type PersonalData, type PublicEvent, type WorkingHoursV1 } from '@vaops/contracts';
import { ProjectionHandler, collectionOf, readModelFor, type ProjectionSpec } from '@vaops/platform';
import { applyVersioned, type ReadModelStore } from '@vaops/projections';

export interface AssistantRosterDoc {
  _id: string;
  _v: number;
  agencyId: string;
  /** Encrypted under the assistant's key; the erased form once the assistant is erased. */
  name: PersonalData;
  email: PersonalData;
  timezone: string;
  weeklyCapacityHours: number;
  committedWeeklyHours: number;
  skills: string[];
  payRate: Money;
  workingHours: WorkingHoursV1[];
  /** Active commitments by engagement id. */
  commitments: Record<string, { clientId: string; kind: 'part-time' | 'full-time'; weeklyHours: number }>;
}

export const ASSISTANT_ROSTER = 'clients.assistant-roster';
const COLL = 'assistant_roster';

export const assistantRosterSpec: ProjectionSpec = {
  name: ASSISTANT_ROSTER,
  topics: [Topics.clients],
  collections: { [COLL]: { indexes: [{ key: { agencyId: 1, _id: 1 } }] } },
};

@Controller()
export class AssistantRosterProjection {
  @ProjectionHandler(assistantRosterSpec, 'AssistantRegistered')
  async assistantRegistered(e: PublicEvent<'AssistantRegistered'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await applyVersioned(store.collection(COLL), d.assistantId, e.version, {
      $set: {
        agencyId: e.metadata.agencyId,
        name: d.name,
        email: d.email,
        timezone: d.timezone,
        // the API answers in hours; the contract carries whole minutes since v2 (exact: capacity is whole minutes)
        weeklyCapacityHours: d.weeklyCapacityMinutes / 60,
        committedWeeklyHours: 0,
        commitments: {},
        skills: d.skills,
        payRate: d.payRate,
        workingHours: d.workingHours,
      },
    });
  }

  // Every event of the assistant's stream passes here: the versioned apply refuses gaps.
  @ProjectionHandler(assistantRosterSpec, 'AssistantCommitmentReserved')
  async commitmentReserved(e: PublicEvent<'AssistantCommitmentReserved'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await applyVersioned(store.collection(COLL), d.assistantId, e.version, {
      $inc: { committedWeeklyHours: d.weeklyHours },
      $set: { [`commitments.${d.engagementId}`]: { clientId: d.clientId, kind: d.kind, weeklyHours: d.weeklyHours } },
    });
  }

  @ProjectionHandler(assistantRosterSpec, 'AssistantCommitmentReleased')
  async commitmentReleased(e: PublicEvent<'AssistantCommitmentReleased'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    const coll = store.collection<AssistantRosterDoc>(COLL);
    const doc = await coll.findOne({ _id: d.assistantId });
    const hours = doc?.commitments?.[d.engagementId]?.weeklyHours ?? 0;
    await applyVersioned(store.collection(COLL), d.assistantId, e.version, {
      $inc: { committedWeeklyHours: -hours },
      $unset: { [`commitments.${d.engagementId}`]: '' },
    });
  }

  // on the assistant's stream (every event of it passes here): hours, commitments and pay stay, the name and email go
  @ProjectionHandler(assistantRosterSpec, 'PersonErased')
  async personErased(e: PublicEvent<'PersonErased'>, store: ReadModelStore): Promise<void> {
    if (e.data.kind !== 'assistant') return;
    const erased = erasedPersonalData(e.data.personId);
    await applyVersioned(store.collection(COLL), e.data.personId, e.version, { $set: { name: erased, email: erased } });
  }
}

/** The assistant roster, as the routes and the scheduler read it. */
@Injectable()
export class AssistantRoster extends readModelFor(ASSISTANT_ROSTER, { roster: collectionOf<AssistantRosterDoc>(COLL) }) {
  /**
   * A page of the agency's assistants by id (only `is` when given, those after the cursor `after`), with
   * one more than `limit` when another page follows.
   */
  page(agencyId: string, ids: { is?: string; after?: string }, limit: number): Promise<AssistantRosterDoc[]> {
    const idFilter: Record<string, unknown> = {};
    if (ids.is !== undefined) idFilter.$eq = ids.is;
    if (ids.after !== undefined) idFilter.$gt = ids.after;
    const filter: Filter<AssistantRosterDoc> = { agencyId };
    if (Object.keys(idFilter).length > 0) filter._id = idFilter;
    return this.collections.roster.find(filter).sort({ _id: 1 }).limit(limit + 1).toArray();
  }

  /**
   * Every assistant of the agency, without what matching does not read (email, pay rate): one query on
   * the (agencyId, _id) index, 200 documents for an agency of 200 assistants.
   */
  ofAgency(agencyId: string): Promise<Omit<AssistantRosterDoc, 'email' | 'payRate'>[]> {
    return this.collections.roster.find({ agencyId }, { projection: { email: 0, payRate: 0 } }).toArray();
  }

  byId(agencyId: string, id: string): Promise<AssistantRosterDoc | null> {
    return this.collections.roster.findOne({ _id: id, agencyId });
  }

  /** Every agency's assistants holding hours for an engagement. */
  committed(): Promise<AssistantRosterDoc[]> {
    return this.collections.roster.find({ committedWeeklyHours: { $gt: 0 } }).toArray();
  }
}
