import {
  DEFAULT_AGENCY_SETTINGS,
  Topics,
  type AgencySettingsChangedV1,
  type AssistantRegisteredV2,
  type ClientRegisteredV1,
  type EngagementEndedV1,
  type EngagementNoticeGivenV1,
  type EngagementPlanChangedV1,
  type EngagementStartedV1,
  type EventEnvelope,
  type Money,
} from '@vaops/contracts';
import { applyIfNewer, type ProjectionDefinition, type ReadModelStore } from '@vaops/projections';
import type { Db } from 'mongodb';
import type { PlanPeriod } from '../invoicing/calculation';

/** What billing needs of the clients service, learnt from its public events (only some types). */
export const CLIENTS_FACTS = 'billing.clients-facts';
export const CLIENTS = 'bl_clients';
export const ENGAGEMENTS = 'bl_engagements';
export const ASSISTANTS = 'bl_assistants';
export const AGENCIES = 'bl_agencies';

export interface ClientDoc {
  _id: string;
  _v: number;
  agencyId: string;
  name: string;
  currency: string;
}

export interface EngagementDoc {
  _id: string;
  _v: number;
  agencyId: string;
  clientId: string;
  assistantId: string;
  startsOn: string;
  endsOn: string | null;
  plans: PlanPeriod[];
}

export interface AssistantDoc {
  _id: string;
  _v: number;
  agencyId: string;
  name: string;
  payRate: Money;
}

export interface AgencyDoc {
  _id: string;
  _v: number;
  timezone: string;
}

const engagementDoc = (e: EventEnvelope, store: ReadModelStore, update: Record<string, unknown>) =>
  applyIfNewer(store.collection(ENGAGEMENTS), (e.data as { engagementId: string }).engagementId, e.version, update);

export const clientsFactsProjection = (topicPrefix = ''): ProjectionDefinition => ({
  name: CLIENTS_FACTS,
  topics: [`${topicPrefix}${Topics.clients}`],
  collections: {
    [CLIENTS]: { indexes: [{ key: { agencyId: 1 } }] },
    [ENGAGEMENTS]: { indexes: [{ key: { agencyId: 1, clientId: 1 } }] },
    [ASSISTANTS]: {},
    [AGENCIES]: {},
  },
  handlers: {
    ClientRegistered: async (e, store) => {
      const d = e.data as ClientRegisteredV1;
      await applyIfNewer(store.collection(CLIENTS), d.clientId, e.version, { $set: { agencyId: e.metadata.agencyId, name: d.name, currency: d.currency } });
    },
    AssistantRegistered: async (e, store) => {
      const d = e.data as AssistantRegisteredV2;
      await applyIfNewer(store.collection(ASSISTANTS), d.assistantId, e.version, { $set: { agencyId: e.metadata.agencyId, name: d.name, payRate: d.payRate } });
    },
    EngagementStarted: async (e, store) => {
      const d = e.data as EngagementStartedV1;
      await engagementDoc(e, store, {
        $set: { agencyId: e.metadata.agencyId, clientId: d.clientId, assistantId: d.assistantId, startsOn: d.startsOn, endsOn: null, plans: [{ effectiveOn: d.startsOn, plan: d.plan }] },
      });
    },
    EngagementPlanChanged: async (e, store) => {
      const d = e.data as EngagementPlanChangedV1;
      // applied once per stream version, so the push never repeats
      await engagementDoc(e, store, { $push: { plans: { effectiveOn: d.effectiveOn, plan: d.plan } } });
    },
    EngagementNoticeGiven: async (e, store) => {
      await engagementDoc(e, store, { $set: { endsOn: (e.data as EngagementNoticeGivenV1).endsOn } });
    },
    EngagementEnded: async (e, store) => {
      await engagementDoc(e, store, { $set: { endsOn: (e.data as EngagementEndedV1).endedOn } });
    },
    AgencySettingsChanged: async (e, store) => {
      const d = e.data as AgencySettingsChangedV1;
      await applyIfNewer(store.collection(AGENCIES), e.metadata.agencyId, e.version, { $set: { timezone: d.timezone } });
    },
  },
});

/** The agency's zone as last heard, or the documented default. */
export async function agencyZone(db: Db, agencyId: string): Promise<string> {
  const doc = await db.collection<AgencyDoc>(AGENCIES).findOne({ _id: agencyId });
  return doc?.timezone ?? DEFAULT_AGENCY_SETTINGS.timezone;
}
