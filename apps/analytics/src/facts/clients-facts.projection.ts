import {
  Topics,
  type AgencySettingsChangedV1,
  type AssistantRegisteredV2,
  type ClientRegisteredV1,
  type EngagementEndedV1,
  type EngagementKind,
  type EngagementNoticeGivenV1,
  type EngagementPhaseChangedV1,
  type EngagementStartedV1,
  type EventEnvelope,
  type Money,
  type Party,
  type Phase,
} from '@vaops/contracts';
import { applyIfNewer, type ProjectionDefinition, type ReadModelStore } from '@vaops/projections';
import { isoWeekOf } from '../shared/periods';

/**
 * What analytics knows of the clients service, from its public topic only: clients (currency),
 * assistants (capacity, pay rate, zone, when they joined), engagements (parties, start, phase history,
 * notice, end) and each agency's zone. A stream's document keeps the last stream version applied
 * (`applyIfNewer`: the other types of the stream leave gaps by design), so redelivery changes nothing.
 */
export const CLIENTS_FACTS = 'analytics.clients-facts';
export const CLIENTS = 'an_clients';
export const ASSISTANTS = 'an_assistants';
export const ENGAGEMENTS = 'an_engagements';
export const AGENCIES = 'an_agencies';

export interface ClientDoc {
  _id: string;
  _v: number;
  agencyId: string;
  name: string;
  currency: string;
}

export interface AssistantDoc {
  _id: string;
  _v: number;
  agencyId: string;
  timezone: string;
  weeklyCapacityMinutes: number;
  payRate: Money;
  registeredAt: string;
  /** ISO week of the registration in the assistant's zone: from this week on the assistant has a row. */
  registeredWeek: string;
}

export interface PhasePeriod {
  /** null: no trust phase (every duty category allowed). */
  phase: Phase | null;
  /** Instant from which this phase applied. */
  from: string;
  /** Phases this change passed over. */
  skipped: Phase[];
}

export interface EngagementDoc {
  _id: string;
  _v: number;
  agencyId: string;
  clientId: string;
  assistantId: string;
  kind: EngagementKind;
  startsOn: string;
  status: 'active' | 'in-notice' | 'ended';
  phases: PhasePeriod[];
  notice: { by: Party; givenAt: string; endsOn: string } | null;
  endedOn: string | null;
  endedBy: 'notice' | 'breach' | null;
}

export interface AgencyDoc {
  _id: string;
  _v: number;
  timezone: string;
}

const engagement = (e: EventEnvelope, store: ReadModelStore, update: Record<string, unknown>) =>
  applyIfNewer(store.collection(ENGAGEMENTS), (e.data as { engagementId: string }).engagementId, e.version, update);

export const clientsFactsProjection = (topicPrefix = ''): ProjectionDefinition => ({
  name: CLIENTS_FACTS,
  topics: [`${topicPrefix}${Topics.clients}`],
  collections: {
    [CLIENTS]: { indexes: [{ key: { agencyId: 1 } }] },
    [ASSISTANTS]: { indexes: [{ key: { agencyId: 1, registeredWeek: 1 } }] },
    [ENGAGEMENTS]: { indexes: [{ key: { agencyId: 1, assistantId: 1 } }, { key: { agencyId: 1, clientId: 1 } }] },
    [AGENCIES]: {},
  },
  handlers: {
    ClientRegistered: async (e, store) => {
      const d = e.data as ClientRegisteredV1;
      await applyIfNewer(store.collection(CLIENTS), d.clientId, e.version, { $set: { agencyId: e.metadata.agencyId, name: d.name, currency: d.currency } });
    },
    // v1 events of the log arrive upcast to v2 (capacity in whole minutes) by the consumer
    AssistantRegistered: async (e, store) => {
      const d = e.data as AssistantRegisteredV2;
      await applyIfNewer(store.collection(ASSISTANTS), d.assistantId, e.version, {
        $set: {
          agencyId: e.metadata.agencyId,
          timezone: d.timezone,
          weeklyCapacityMinutes: d.weeklyCapacityMinutes,
          payRate: d.payRate,
          registeredAt: e.metadata.occurredAt,
          registeredWeek: isoWeekOf(e.metadata.occurredAt, d.timezone),
        },
      });
    },
    EngagementStarted: async (e, store) => {
      const d = e.data as EngagementStartedV1;
      const start: PhasePeriod = { phase: d.phase, from: e.metadata.occurredAt, skipped: [] };
      await engagement(e, store, {
        $set: {
          agencyId: e.metadata.agencyId,
          clientId: d.clientId,
          assistantId: d.assistantId,
          kind: d.kind,
          startsOn: d.startsOn,
          status: 'active',
          phases: [start],
          notice: null,
          endedOn: null,
          endedBy: null,
        },
      });
    },
    EngagementPhaseChanged: async (e, store) => {
      const d = e.data as EngagementPhaseChangedV1;
      // applied once per stream version, so the push never repeats
      await engagement(e, store, { $push: { phases: { phase: d.to, from: d.effectiveAt, skipped: d.skipped } } });
    },
    EngagementNoticeGiven: async (e, store) => {
      const d = e.data as EngagementNoticeGivenV1;
      await engagement(e, store, { $set: { status: 'in-notice', notice: { by: d.by, givenAt: d.givenAt, endsOn: d.endsOn } } });
    },
    EngagementEnded: async (e, store) => {
      const d = e.data as EngagementEndedV1;
      await engagement(e, store, { $set: { status: 'ended', endedOn: d.endedOn, endedBy: d.endedBy } });
    },
    AgencySettingsChanged: async (e, store) => {
      const d = e.data as AgencySettingsChangedV1;
      await applyIfNewer(store.collection(AGENCIES), e.metadata.agencyId, e.version, { $set: { timezone: d.timezone } });
    },
  },
});
