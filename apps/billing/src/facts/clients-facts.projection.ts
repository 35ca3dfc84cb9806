import { clientsFacts, type AgencySettings, type AssistantFactsDoc, type ClientFactsDoc, type EngagementFactsDoc } from '@vaops/facts';
import type { Db } from 'mongodb';

/** What billing needs of the clients service, learnt from its public events (the facts kit). */
export const CLIENTS_FACTS = 'billing.clients-facts';
export const CLIENTS = 'bl_clients';
export const ENGAGEMENTS = 'bl_engagements';
export const ASSISTANTS = 'bl_assistants';
export const AGENCIES = 'bl_agencies';

export const billingFacts = clientsFacts({
  name: CLIENTS_FACTS,
  clients: { collection: CLIENTS, fields: ['name', 'currency'], indexes: [{ key: { agencyId: 1 } }] },
  engagements: { collection: ENGAGEMENTS, fields: ['startsOn', 'endsOn', 'plans'], indexes: [{ key: { agencyId: 1, clientId: 1 } }] },
  assistants: { collection: ASSISTANTS, fields: ['name', 'payRate'] },
  agencies: { collection: AGENCIES, fields: ['timezone'] },
});

export type ClientDoc = ClientFactsDoc<'name' | 'currency'>;
export type EngagementDoc = EngagementFactsDoc<'startsOn' | 'endsOn' | 'plans'>;
export type AssistantDoc = AssistantFactsDoc<'name' | 'payRate'>;
export type AgencyDoc = { _id: string; _v: number } & AgencySettings<'timezone'>;

/** The agency's zone as last heard, or the documented default. */
export async function agencyZone(db: Db, agencyId: string): Promise<string> {
  return (await billingFacts.agencies.settings(db, agencyId)).timezone;
}
