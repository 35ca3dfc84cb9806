import { clientsFacts, type AgencySettings, type AssistantFactsDoc, type ClientFactsDoc, type EngagementFactsDoc } from '@vaops/facts';
import type { Db } from 'mongodb';
import { isoWeekOf } from '../shared/periods';

export type { PhaseChange as PhasePeriod } from '@vaops/facts';

/**
 * What analytics knows of the clients service, from its public topic only (the facts kit): clients
 * (currency), assistants (capacity, pay rate, zone, when they joined), engagements (parties, start, phase
 * history, notice, end) and each agency's zone. v1 events of the log arrive upcast to v2 (capacity in
 * whole minutes) by the consumer.
 */
export const CLIENTS_FACTS = 'analytics.clients-facts';
export const CLIENTS = 'an_clients';
export const ASSISTANTS = 'an_assistants';
export const ENGAGEMENTS = 'an_engagements';
export const AGENCIES = 'an_agencies';

export const analyticsFacts = clientsFacts({
  name: CLIENTS_FACTS,
  clients: { collection: CLIENTS, fields: ['name', 'currency'], indexes: [{ key: { agencyId: 1 } }] },
  assistants: {
    collection: ASSISTANTS,
    fields: ['timezone', 'weeklyCapacityMinutes', 'payRate', 'registeredAt'],
    indexes: [{ key: { agencyId: 1, registeredWeek: 1 } }],
    // ISO week of the registration in the assistant's zone: from this week on the assistant has a row
    derive: (e) => ({ registeredWeek: isoWeekOf(e.metadata.occurredAt, e.data.timezone) }),
  },
  engagements: {
    collection: ENGAGEMENTS,
    fields: ['kind', 'startsOn', 'status', 'phases', 'notice', 'endedOn', 'endedBy'],
    indexes: [{ key: { agencyId: 1, assistantId: 1 } }, { key: { agencyId: 1, clientId: 1 } }],
  },
  agencies: { collection: AGENCIES, fields: ['timezone'] },
});

export type ClientDoc = ClientFactsDoc<'name' | 'currency'>;
export type AssistantDoc = AssistantFactsDoc<'timezone' | 'weeklyCapacityMinutes' | 'payRate' | 'registeredAt'> & {
  /** ISO week of the registration in the assistant's zone: from this week on the assistant has a row. */
  registeredWeek: string;
};
export type EngagementDoc = EngagementFactsDoc<'kind' | 'startsOn' | 'status' | 'phases' | 'notice' | 'endedOn' | 'endedBy'>;
export type AgencyDoc = { _id: string; _v: number } & AgencySettings<'timezone'>;

/** The agency's zone as last heard from the clients topic, or the documented default. */
export async function agencyZone(db: Db, agencyId: string): Promise<string> {
  return (await analyticsFacts.agencies.settings(db, agencyId)).timezone;
}
