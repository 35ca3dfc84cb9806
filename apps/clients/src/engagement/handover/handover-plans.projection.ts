import { Controller, Injectable } from '@nestjs/common';
import { Topics, type PersonalData, type HandoverConflictV1, type HandoverMeetingV1, type HandoverMoveV1, type HandoverPlannedV1, type HandoverRestoreV1, type PublicEvent } from '@vaops/contracts';
import { ProjectionHandler, collectionOf, readModelFor, type ProjectionSpec } from '@vaops/platform';
import type { ReadModelStore } from '@vaops/projections';

/**
 * One document per handover (`_id`: the replacement engagement's id), written from two streams: the
 * outgoing engagement's (planned, cancelled: clients topic) and scheduling's handover stream (what
 * happened to the appointments). Each event sets fields of its own, so the order in which the two
 * topics arrive cannot change the document, and the same event twice sets the same values.
 */
export interface HandoverPlanDoc extends Omit<HandoverPlannedV1, 'newEngagementId'> {
  _id: string;
  agencyId: string;
  status: 'planned' | 'cancelled';
  /** `reason` encrypted under the engagement's key (revealed when answered). */
  cancelled: { by: 'agency' | 'assistant'; reason: PersonalData; at: string } | null;
  appointments: { moved: HandoverMoveV1[]; conflicts: HandoverConflictV1[]; meeting: HandoverMeetingV1 | null; at: string } | null;
  unwound: { restored: HandoverRestoreV1[]; unresolved: HandoverConflictV1[]; meetingCancelled: boolean; at: string } | null;
}

const HANDOVER_PLANS_PROJECTION = 'clients.handover-plans';
const COLL = 'handover_plans';

export const handoverPlansSpec: ProjectionSpec = {
  name: HANDOVER_PLANS_PROJECTION,
  topics: [Topics.clients, Topics.scheduling],
  collections: { [COLL]: { indexes: [{ key: { engagementId: 1 } }] } },
};

async function set(store: ReadModelStore, id: string, fields: Partial<HandoverPlanDoc>): Promise<void> {
  await store.collection<HandoverPlanDoc>(COLL).updateOne({ _id: id }, { $set: fields }, { upsert: true });
}

@Controller()
export class HandoverPlansProjection {
  @ProjectionHandler(handoverPlansSpec, 'HandoverPlanned')
  async onHandoverPlanned(e: PublicEvent<'HandoverPlanned'>, store: ReadModelStore): Promise<void> {
    const { newEngagementId, ...d } = e.data;
    await set(store, newEngagementId, { ...d, agencyId: e.metadata.agencyId, status: 'planned' });
  }

  @ProjectionHandler(handoverPlansSpec, 'HandoverCancelled')
  async onHandoverCancelled(e: PublicEvent<'HandoverCancelled'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await set(store, d.newEngagementId, { engagementId: d.engagementId, agencyId: e.metadata.agencyId, status: 'cancelled', cancelled: { by: d.by, reason: d.reason, at: d.cancelledAt } });
  }

  // From the scheduling service's topic: what became of the appointments.
  @ProjectionHandler(handoverPlansSpec, 'HandoverScheduled')
  async onHandoverScheduled(e: PublicEvent<'HandoverScheduled'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await set(store, d.newEngagementId, { engagementId: d.engagementId, agencyId: e.metadata.agencyId, appointments: { moved: d.moved, conflicts: d.conflicts, meeting: d.meeting, at: e.metadata.occurredAt } });
  }

  @ProjectionHandler(handoverPlansSpec, 'HandoverUnwound')
  async onHandoverUnwound(e: PublicEvent<'HandoverUnwound'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await set(store, d.newEngagementId, {
      engagementId: d.engagementId,
      agencyId: e.metadata.agencyId,
      unwound: { restored: d.restored, unresolved: d.unresolved, meetingCancelled: d.meetingCancelled, at: e.metadata.occurredAt },
    });
  }
}

/** The handovers of an engagement, as GET /engagements/:id/handover reads them. */
@Injectable()
export class HandoverPlans extends readModelFor(HANDOVER_PLANS_PROJECTION, { plans: collectionOf<HandoverPlanDoc>(COLL) }) {
  /** The engagement's latest planned handover (an engagement has few: one stands at a time). */
  async latestOf(agencyId: string, engagementId: string): Promise<HandoverPlanDoc | null> {
    const docs = await this.collections.plans.find({ engagementId, agencyId }).toArray();
    return docs.filter((d) => d.plannedAt).sort((a, b) => b.plannedAt.localeCompare(a.plannedAt))[0] ?? null;
  }
}
