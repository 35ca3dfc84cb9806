import { Controller } from '@nestjs/common';
import { Topics, type Money, type PublicEvent, type WorkingHoursV1 } from '@vaops/contracts';
import { ProjectionHandler, type ProjectionSpec } from '@vaops/platform';
import { applyVersioned, type ReadModelStore } from '@vaops/projections';

export interface AssistantRosterDoc {
  _id: string;
  _v: number;
  agencyId: string;
  name: string;
  email: string;
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

export const assistantRosterSpec: ProjectionSpec = {
  name: ASSISTANT_ROSTER,
  topics: [Topics.clients],
  collections: { assistant_roster: { indexes: [{ key: { agencyId: 1, _id: 1 } }] } },
};

@Controller()
export class AssistantRosterProjection {
  @ProjectionHandler(assistantRosterSpec, 'AssistantRegistered')
  async assistantRegistered(e: PublicEvent<'AssistantRegistered'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await applyVersioned(store.collection('assistant_roster'), d.assistantId, e.version, {
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
    await applyVersioned(store.collection('assistant_roster'), d.assistantId, e.version, {
      $inc: { committedWeeklyHours: d.weeklyHours },
      $set: { [`commitments.${d.engagementId}`]: { clientId: d.clientId, kind: d.kind, weeklyHours: d.weeklyHours } },
    });
  }

  @ProjectionHandler(assistantRosterSpec, 'AssistantCommitmentReleased')
  async commitmentReleased(e: PublicEvent<'AssistantCommitmentReleased'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    const coll = store.collection<AssistantRosterDoc>('assistant_roster');
    const doc = await coll.findOne({ _id: d.assistantId });
    const hours = doc?.commitments?.[d.engagementId]?.weeklyHours ?? 0;
    await applyVersioned(store.collection('assistant_roster'), d.assistantId, e.version, {
      $inc: { committedWeeklyHours: -hours },
      $unset: { [`commitments.${d.engagementId}`]: '' },
    });
  }
}
