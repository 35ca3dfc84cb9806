import {
  DEFAULT_AGENCY_SETTINGS,
  Topics,
  type AgencySettingsChangedV1,
  type AssistantRegisteredV2,
  type ClientRegisteredV1,
  type EngagementEndedV1,
  type EngagementNoticeGivenV1,
  type EngagementStartedV1,
  type EventEnvelope,
  type WorkingHoursV1,
} from '@vaops/contracts';
import { applyIfNewer, type ProjectionDefinition } from '@vaops/projections';
import type { Db } from 'mongodb';
import type { EngagementFacts } from '../calendar/calendar.decider';

/** What scheduling needs of the clients service, learnt from its public events (only some types). */
export const CLIENTS_FACTS = 'scheduling.clients-facts';
export const ENGAGEMENTS = 'sched_engagements';
export const PEOPLE = 'sched_people';
export const AGENCIES = 'sched_agencies';

export interface EngagementFactsDoc extends Omit<EngagementFacts, 'engagementId'> {
  _id: string;
  _v: number;
  agencyId: string;
}

/** `_id` is the clients service's stream id: `client-<id>` or `assistant-<id>`. */
export interface PersonDoc {
  _id: string;
  _v: number;
  agencyId: string;
  timezone: string;
  workingHours: WorkingHoursV1[];
}

export interface AgencyDoc {
  _id: string;
  _v: number;
  timezone: string;
  minimumNoticeHours: number;
  bufferMinutes: number;
}

export const personId = (role: 'client' | 'assistant', id: string): string => `${role}-${id}`;

const engagementDoc = async (e: EventEnvelope, store: Parameters<NonNullable<ProjectionDefinition['handlers'][string]>>[1], $set: Record<string, unknown>) =>
  applyIfNewer(store.collection(ENGAGEMENTS), (e.data as { engagementId: string }).engagementId, e.version, { $set });

export const clientsFactsProjection = (topicPrefix = ''): ProjectionDefinition => ({
  name: CLIENTS_FACTS,
  topics: [`${topicPrefix}${Topics.clients}`],
  collections: {
    [ENGAGEMENTS]: { indexes: [{ key: { status: 1, endsOn: 1 } }, { key: { agencyId: 1, clientId: 1, assistantId: 1 } }] },
    [PEOPLE]: {},
    [AGENCIES]: {},
  },
  handlers: {
    ClientRegistered: async (e, store) => {
      const d = e.data as ClientRegisteredV1;
      await applyIfNewer(store.collection(PEOPLE), e.streamId, e.version, { $set: { agencyId: e.metadata.agencyId, timezone: d.timezone, workingHours: [] } });
    },
    AssistantRegistered: async (e, store) => {
      const d = e.data as AssistantRegisteredV2;
      await applyIfNewer(store.collection(PEOPLE), e.streamId, e.version, { $set: { agencyId: e.metadata.agencyId, timezone: d.timezone, workingHours: d.workingHours ?? [] } });
    },
    EngagementStarted: async (e, store) => {
      const d = e.data as EngagementStartedV1;
      await engagementDoc(e, store, { agencyId: e.metadata.agencyId, clientId: d.clientId, assistantId: d.assistantId, status: 'active', startsOn: d.startsOn, endsOn: null });
    },
    EngagementNoticeGiven: async (e, store) => {
      await engagementDoc(e, store, { status: 'in-notice', endsOn: (e.data as EngagementNoticeGivenV1).endsOn });
    },
    EngagementEnded: async (e, store) => {
      await engagementDoc(e, store, { status: 'ended', endsOn: (e.data as EngagementEndedV1).endedOn });
    },
    AgencySettingsChanged: async (e, store) => {
      const d = e.data as AgencySettingsChangedV1;
      await applyIfNewer(store.collection(AGENCIES), e.metadata.agencyId, e.version, { $set: { timezone: d.timezone, minimumNoticeHours: d.minimumNoticeHours, bufferMinutes: d.bufferMinutes } });
    },
  },
});

/** The agency's scheduling policies as last heard, or the documented defaults. */
export async function agencyPolicies(db: Db, agencyId: string): Promise<Omit<AgencyDoc, '_id' | '_v'>> {
  const doc = await db.collection<AgencyDoc>(AGENCIES).findOne({ _id: agencyId });
  const { timezone, minimumNoticeHours, bufferMinutes } = doc ?? DEFAULT_AGENCY_SETTINGS;
  return { timezone, minimumNoticeHours, bufferMinutes };
}
