import { clientsFacts, type AgencySettings, type AssistantFactsDoc, type ClientFactsDoc, type EngagementFactsDoc as FactsDoc } from '@vaops/facts';
import type { Db } from 'mongodb';

/** What scheduling needs of the clients service, learnt from its public events (the facts kit). */
export const CLIENTS_FACTS = 'scheduling.clients-facts';
export const ENGAGEMENTS = 'sched_engagements';
export const PEOPLE = 'sched_people';
export const AGENCIES = 'sched_agencies';

export const schedulingFacts = clientsFacts({
  name: CLIENTS_FACTS,
  // clients and assistants in one collection, by the clients service's stream id (`client-<id>`, `assistant-<id>`)
  clients: { collection: PEOPLE, key: 'stream', fields: ['timezone', 'workingHours'] },
  assistants: { collection: PEOPLE, key: 'stream', fields: ['timezone', 'workingHours'] },
  engagements: { collection: ENGAGEMENTS, fields: ['status', 'startsOn', 'endsOn'], indexes: [{ key: { status: 1, endsOn: 1 } }, { key: { agencyId: 1, clientId: 1, assistantId: 1 } }] },
  agencies: { collection: AGENCIES, fields: ['timezone', 'minimumNoticeHours', 'bufferMinutes'] },
});

export type EngagementFactsDoc = FactsDoc<'status' | 'startsOn' | 'endsOn'>;
/** `_id` is the clients service's stream id: `client-<id>` or `assistant-<id>`. */
export type PersonDoc = ClientFactsDoc<'timezone' | 'workingHours'> | AssistantFactsDoc<'timezone' | 'workingHours'>;
export type AgencyDoc = { _id: string; _v: number } & AgencySettings<'timezone' | 'minimumNoticeHours' | 'bufferMinutes'>;

export const personId = (role: 'client' | 'assistant', id: string): string => `${role}-${id}`;

/** The agency's scheduling policies as last heard, or the documented defaults. */
export const agencyPolicies = (db: Db, agencyId: string): Promise<AgencySettings<'timezone' | 'minimumNoticeHours' | 'bufferMinutes'>> => schedulingFacts.agencies.settings(db, agencyId);
