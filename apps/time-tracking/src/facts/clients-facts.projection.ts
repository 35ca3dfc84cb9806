import { clientsFacts, type AgencySettings, type AssistantFactsDoc, type EngagementFactsDoc as FactsDoc } from '@vaops/facts';
import type { Db } from 'mongodb';

export { SINCE_START } from '@vaops/facts';

/** What time-tracking needs of the clients service, learnt from its public events (the facts kit). */
export const CLIENTS_FACTS = 'time-tracking.clients-facts';
export const ENGAGEMENTS = 'tt_engagements';
export const ASSISTANTS = 'tt_assistants';
export const AGENCIES = 'tt_agencies';

export const timeTrackingFacts = clientsFacts({
  name: CLIENTS_FACTS,
  assistants: { collection: ASSISTANTS, fields: ['timezone'] },
  engagements: { collection: ENGAGEMENTS, fields: ['status', 'startsOn', 'endsOn', 'plan', 'phaseHistory'], indexes: [{ key: { agencyId: 1, clientId: 1 } }, { key: { agencyId: 1, assistantId: 1 } }] },
  agencies: { collection: AGENCIES, fields: ['timezone', 'rounding'] },
});

export type EngagementFactsDoc = FactsDoc<'status' | 'startsOn' | 'endsOn' | 'plan' | 'phaseHistory'>;
export type AssistantDoc = AssistantFactsDoc<'timezone'>;
export type AgencyDoc = { _id: string; _v: number } & AgencySettings<'timezone' | 'rounding'>;

/** The agency's zone and rounding as last heard, or the documented defaults. */
export const agencyRules = (db: Db, agencyId: string): Promise<AgencySettings<'timezone' | 'rounding'>> => timeTrackingFacts.agencies.settings(db, agencyId);
