import { Topics, type AssistantRegisteredV1, type EventEnvelope, type Money, type WorkingHoursV1 } from '@vaops/contracts';
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
}

export const ASSISTANT_ROSTER = 'clients.assistant-roster';

export const assistantRosterProjection = (topicPrefix = ''): ProjectionDefinition => ({
  name: ASSISTANT_ROSTER,
  topics: [`${topicPrefix}${Topics.clients}`],
  collections: { assistant_roster: { indexes: [{ key: { agencyId: 1, _id: 1 } }] } },
  handlers: {
    AssistantRegistered: async (e: EventEnvelope, store) => {
      const d = e.data as AssistantRegisteredV1;
      await applyVersioned(store.collection('assistant_roster'), d.assistantId, e.version, {
        $set: {
          agencyId: e.metadata.agencyId,
          name: d.name,
          email: d.email,
          timezone: d.timezone,
          weeklyCapacityHours: d.weeklyCapacityHours,
          // engagements (the next slice) add to it
          committedWeeklyHours: 0,
          skills: d.skills,
          payRate: d.payRate,
          workingHours: d.workingHours,
        },
      });
    },
  },
});
