import {
  Topics,
  type AssistantCommitmentReleasedV1,
  type AssistantCommitmentReservedV1,
  type AssistantRegisteredV2,
  type EventEnvelope,
  type Money,
  type WorkingHoursV1,
} from '@vaops/contracts';
import { applyVersioned, type ProjectionDefinition } from '@vaops/projections';

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

export const assistantRosterProjection = (topicPrefix = ''): ProjectionDefinition => ({
  name: ASSISTANT_ROSTER,
  topics: [`${topicPrefix}${Topics.clients}`],
  collections: { assistant_roster: { indexes: [{ key: { agencyId: 1, _id: 1 } }] } },
  handlers: {
    AssistantRegistered: async (e: EventEnvelope, store) => {
      const d = e.data as AssistantRegisteredV2;
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
    },
    // Every event of the assistant's stream passes here: the versioned apply refuses gaps.
    AssistantCommitmentReserved: async (e: EventEnvelope, store) => {
      const d = e.data as AssistantCommitmentReservedV1;
      await applyVersioned(store.collection('assistant_roster'), d.assistantId, e.version, {
        $inc: { committedWeeklyHours: d.weeklyHours },
        $set: { [`commitments.${d.engagementId}`]: { clientId: d.clientId, kind: d.kind, weeklyHours: d.weeklyHours } },
      });
    },
    AssistantCommitmentReleased: async (e: EventEnvelope, store) => {
      const d = e.data as AssistantCommitmentReleasedV1;
      const coll = store.collection<AssistantRosterDoc>('assistant_roster');
      const doc = await coll.findOne({ _id: d.assistantId });
      const hours = doc?.commitments?.[d.engagementId]?.weeklyHours ?? 0;
      await applyVersioned(store.collection('assistant_roster'), d.assistantId, e.version, {
        $inc: { committedWeeklyHours: -hours },
        $unset: { [`commitments.${d.engagementId}`]: '' },
      });
    },
  },
});
