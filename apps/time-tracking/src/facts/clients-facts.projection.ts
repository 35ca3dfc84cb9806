import {
  DEFAULT_AGENCY_SETTINGS,
  Topics,
  type AgencySettingsChangedV1,
  type AssistantRegisteredV2,
  type EngagementEndedV1,
  type EngagementNoticeGivenV1,
  type EngagementPhaseChangedV1,
  type EngagementPlanChangedV1,
  type EngagementStartedV1,
  type EventEnvelope,
  type PlanV1,
  type RoundingRuleV1,
} from '@vaops/contracts';
import { applyIfNewer, type ProjectionDefinition, type ReadModelStore } from '@vaops/projections';
import type { Db } from 'mongodb';
import type { EngagementFacts } from '../timelog/timelog.decider';

/** What time-tracking needs of the clients service, learnt from its public events (only some types). */
export const CLIENTS_FACTS = 'time-tracking.clients-facts';
export const ENGAGEMENTS = 'tt_engagements';
export const ASSISTANTS = 'tt_assistants';
export const AGENCIES = 'tt_agencies';

/** Before the first phase change, the engagement's phase holds from its very start (dates are checked apart). */
export const SINCE_START = '1970-01-01T00:00:00.000Z';

export interface EngagementFactsDoc extends Omit<EngagementFacts, 'engagementId'> {
  _id: string;
  _v: number;
  agencyId: string;
  plan: PlanV1;
}

export interface AssistantDoc {
  _id: string;
  _v: number;
  agencyId: string;
  timezone: string;
}

export interface AgencyDoc {
  _id: string;
  _v: number;
  timezone: string;
  rounding: RoundingRuleV1;
}

const engagementDoc = async (e: EventEnvelope, store: ReadModelStore, update: Record<string, unknown>) =>
  applyIfNewer(store.collection(ENGAGEMENTS), (e.data as { engagementId: string }).engagementId, e.version, update);

export const clientsFactsProjection = (topicPrefix = ''): ProjectionDefinition => ({
  name: CLIENTS_FACTS,
  topics: [`${topicPrefix}${Topics.clients}`],
  collections: {
    [ENGAGEMENTS]: { indexes: [{ key: { agencyId: 1, clientId: 1 } }, { key: { agencyId: 1, assistantId: 1 } }] },
    [ASSISTANTS]: {},
    [AGENCIES]: {},
  },
  handlers: {
    AssistantRegistered: async (e, store) => {
      const d = e.data as AssistantRegisteredV2;
      await applyIfNewer(store.collection(ASSISTANTS), d.assistantId, e.version, { $set: { agencyId: e.metadata.agencyId, timezone: d.timezone } });
    },
    EngagementStarted: async (e, store) => {
      const d = e.data as EngagementStartedV1;
      await engagementDoc(e, store, {
        $set: { agencyId: e.metadata.agencyId, clientId: d.clientId, assistantId: d.assistantId, status: 'active', startsOn: d.startsOn, endsOn: null, plan: d.plan, phaseHistory: [{ phase: d.phase, from: SINCE_START }] },
      });
    },
    EngagementPhaseChanged: async (e, store) => {
      const d = e.data as EngagementPhaseChangedV1;
      // applied once per stream version, so the push never repeats
      await engagementDoc(e, store, { $push: { phaseHistory: { phase: d.to, from: d.effectiveAt } } });
    },
    EngagementPlanChanged: async (e, store) => {
      await engagementDoc(e, store, { $set: { plan: (e.data as EngagementPlanChangedV1).plan } });
    },
    EngagementNoticeGiven: async (e, store) => {
      await engagementDoc(e, store, { $set: { status: 'in-notice', endsOn: (e.data as EngagementNoticeGivenV1).endsOn } });
    },
    EngagementEnded: async (e, store) => {
      await engagementDoc(e, store, { $set: { status: 'ended', endsOn: (e.data as EngagementEndedV1).endedOn } });
    },
    AgencySettingsChanged: async (e, store) => {
      const d = e.data as AgencySettingsChangedV1;
      await applyIfNewer(store.collection(AGENCIES), e.metadata.agencyId, e.version, { $set: { timezone: d.timezone, rounding: { minutes: d.roundingMinutes, mode: d.roundingMode } } });
    },
  },
});

/** The agency's zone and rounding as last heard, or the documented defaults. */
export async function agencyRules(db: Db, agencyId: string): Promise<{ timezone: string; rounding: RoundingRuleV1 }> {
  const doc = await db.collection<AgencyDoc>(AGENCIES).findOne({ _id: agencyId });
  if (doc) return { timezone: doc.timezone, rounding: doc.rounding };
  return { timezone: DEFAULT_AGENCY_SETTINGS.timezone, rounding: { minutes: DEFAULT_AGENCY_SETTINGS.roundingMinutes, mode: DEFAULT_AGENCY_SETTINGS.roundingMode } };
}
