import { Injectable } from '@nestjs/common';
import { clientsFacts, type AgencySettings, type AssistantFactsDoc, type ClientFactsDoc, type EngagementFactsDoc as FactsDoc } from '@vaops/facts';
import { readModelFor } from '@vaops/platform';

/** What scheduling needs of the clients service, learnt from its public events (the facts kit). */
const CLIENTS_FACTS = 'scheduling.clients-facts';
const PEOPLE = 'sched_people';

export const schedulingFacts = clientsFacts({
  name: CLIENTS_FACTS,
  // clients and assistants in one collection, by the clients service's stream id (`client-<id>`, `assistant-<id>`)
  clients: { collection: PEOPLE, key: 'stream', fields: ['timezone', 'workingHours'] },
  assistants: { collection: PEOPLE, key: 'stream', fields: ['timezone', 'workingHours'] },
  engagements: { collection: 'sched_engagements', fields: ['status', 'startsOn', 'endsOn'], indexes: [{ key: { status: 1, endsOn: 1 } }, { key: { agencyId: 1, clientId: 1, assistantId: 1 } }] },
  agencies: { collection: 'sched_agencies', fields: ['timezone', 'minimumNoticeHours', 'bufferMinutes'] },
  // appointments' titles and reasons are under engagements' keys: an erasure must end them here at once
  hearErasures: true,
});

export type EngagementFactsDoc = FactsDoc<'status' | 'startsOn' | 'endsOn'>;
/** `_id` is the clients service's stream id: `client-<id>` or `assistant-<id>`. */
export type PersonDoc = ClientFactsDoc<'timezone' | 'workingHours'> | AssistantFactsDoc<'timezone' | 'workingHours'>;
export type AgencyPolicies = AgencySettings<'timezone' | 'minimumNoticeHours' | 'bufferMinutes'>;

/** Who of an engagement a query names: the agency, and one or both of its parties. */
export type EngagementParties = { agencyId: string } & Partial<Pick<EngagementFactsDoc, 'assistantId' | 'clientId'>>;

/** What routes and the scheduler read of the clients facts. */
@Injectable()
export class SchedulingFacts extends readModelFor(CLIENTS_FACTS) {
  engagement(id: string): Promise<EngagementFactsDoc | null> {
    return schedulingFacts.engagements.byId(this.db, id);
  }

  /** An engagement between these parties of the agency, if any (whether they share one). */
  engagementOf(parties: EngagementParties): Promise<EngagementFactsDoc | null> {
    return schedulingFacts.engagements.of(this.db).findOne(parties);
  }

  /** Ended engagements (those that ended on or after `since`, when given): who holds their calendar. */
  endedEngagements(since?: string): Promise<Pick<EngagementFactsDoc, '_id' | 'assistantId' | 'clientId' | 'agencyId'>[]> {
    return schedulingFacts.engagements
      .of(this.db)
      .find(since === undefined ? { status: 'ended' } : { status: 'ended', endsOn: { $gte: since } }, { projection: { _id: 1, assistantId: 1, clientId: 1, agencyId: 1 } })
      .toArray();
  }

  /** A client's or an assistant's zone and hours, if heard of. */
  person(role: 'client' | 'assistant', id: string): Promise<PersonDoc | null> {
    return schedulingFacts[role === 'client' ? 'clients' : 'assistants'].byId(this.db, `${role}-${id}`);
  }

  /** The agency's scheduling policies as last heard, or the documented defaults. */
  agencyPolicies(agencyId: string): Promise<AgencyPolicies> {
    return schedulingFacts.agencies.settings(this.db, agencyId);
  }
}
