import { Injectable } from '@nestjs/common';
import { clientsFacts, type AgencySettings, type AssistantFactsDoc, type ClientFactsDoc, type EngagementFactsDoc } from '@vaops/facts';
import type { Filter } from 'mongodb';
import { collectionOf, readModelFor, type PartyScope } from '@vaops/platform';
import { isoWeekOf } from '../shared/periods';

export type { PhaseChange as PhasePeriod } from '@vaops/facts';

/**
 * What analytics knows of the clients service, from its public topic only (the facts kit): clients
 * (currency), assistants (capacity, pay rate, zone, when they joined), engagements (parties, start, phase
 * history, notice, end) and each agency's zone. v1 events of the log arrive upcast to v2 (capacity in
 * whole minutes) by the consumer.
 */
export const CLIENTS_FACTS = 'analytics.clients-facts';

export const analyticsFacts = clientsFacts({
  name: CLIENTS_FACTS,
  clients: { collection: 'an_clients', fields: ['name', 'currency'], indexes: [{ key: { agencyId: 1 } }] },
  assistants: {
    collection: 'an_assistants',
    fields: ['timezone', 'weeklyCapacityMinutes', 'payRate', 'registeredAt'],
    indexes: [{ key: { agencyId: 1, registeredWeek: 1 } }],
    // ISO week of the registration in the assistant's zone: from this week on the assistant has a row
    derive: (e) => ({ registeredWeek: isoWeekOf(e.metadata.occurredAt, e.data.timezone) }),
  },
  engagements: {
    collection: 'an_engagements',
    fields: ['kind', 'startsOn', 'status', 'phases', 'notice', 'endedOn', 'endedBy'],
    indexes: [{ key: { agencyId: 1, assistantId: 1 } }, { key: { agencyId: 1, clientId: 1 } }],
  },
  agencies: { collection: 'an_agencies', fields: ['timezone'] },
});

export type ClientDoc = ClientFactsDoc<'name' | 'currency'>;
export type AssistantDoc = AssistantFactsDoc<'timezone' | 'weeklyCapacityMinutes' | 'payRate' | 'registeredAt'> & {
  /** ISO week of the registration in the assistant's zone: from this week on the assistant has a row. */
  registeredWeek: string;
};
export type EngagementDoc = EngagementFactsDoc<'kind' | 'startsOn' | 'status' | 'phases' | 'notice' | 'endedOn' | 'endedBy'>;
export type AgencyDoc = { _id: string; _v: number } & AgencySettings<'timezone'>;

/** Which of an agency's engagements a page holds (the caller's role already applied). */
export interface EngagementFilter extends PartyScope {
  /** The cursor: engagements after this id. */
  after?: string;
}

/** What analytics' routes read of the clients facts. */
@Injectable()
export class AnalyticsFacts extends readModelFor(CLIENTS_FACTS, { assistants: collectionOf<AssistantDoc>(analyticsFacts.assistants.collection) }) {
  private get clients() {
    return analyticsFacts.clients.of(this.db);
  }

  /** With the week the facts kit derives for each assistant. */
  private get engagements() {
    return analyticsFacts.engagements.of(this.db);
  }

  client(agencyId: string, id: string): Promise<ClientDoc | null> {
    return this.clients.findOne({ _id: id, agencyId });
  }

  assistant(agencyId: string, id: string): Promise<AssistantDoc | null> {
    return this.collections.assistants.findOne({ _id: id, agencyId });
  }

  /** The agency's assistants among `ids` (other ids are left out). */
  assistantsAmong(agencyId: string, ids: string[]): Promise<AssistantDoc[]> {
    return this.collections.assistants.find({ _id: { $in: ids }, agencyId }).toArray();
  }

  /** Which of `ids` are the agency's assistants. */
  async assistantIdsAmong(agencyId: string, ids: string[]): Promise<string[]> {
    const known = await this.collections.assistants.find({ _id: { $in: ids }, agencyId }, { projection: { _id: 1 } }).toArray();
    return known.map((a) => a._id);
  }

  /**
   * A page of the agency's assistants registered by `week`, by id (only `is` when given, those after the
   * cursor `after`), with one more than `limit` when another page follows.
   */
  assistantsRegisteredBy(agencyId: string, week: string, ids: { is?: string; after?: string }, limit: number): Promise<AssistantDoc[]> {
    const filter: Filter<AssistantDoc> = { agencyId, registeredWeek: { $lte: week } };
    const idFilter: Record<string, unknown> = {};
    if (ids.after !== undefined) idFilter.$gt = ids.after;
    if (ids.is !== undefined) idFilter.$eq = ids.is;
    if (Object.keys(idFilter).length > 0) filter._id = idFilter;
    return this.collections.assistants.find(filter).sort({ _id: 1 }).limit(limit + 1).toArray();
  }

  engagement(agencyId: string, id: string): Promise<EngagementDoc | null> {
    return this.engagements.findOne({ _id: id, agencyId });
  }

  /** One engagement between the assistant and the client, if they have (or had) any. */
  engagementBetween(agencyId: string, assistantId: string, clientId: string): Promise<EngagementDoc | null> {
    return this.engagements.findOne({ agencyId, assistantId, clientId });
  }

  /** A page by engagement id, with one more than `limit` when another page follows. */
  engagementsPage(f: EngagementFilter, limit: number): Promise<EngagementDoc[]> {
    const filter: Filter<EngagementDoc> = { agencyId: f.agencyId };
    if (f.assistantId !== undefined) filter.assistantId = f.assistantId;
    if (f.clientId !== undefined) filter.clientId = f.clientId;
    if (f.after !== undefined) filter._id = { $gt: f.after };
    return this.engagements.find(filter).sort({ _id: 1 }).limit(limit + 1).toArray();
  }

  /** The agency's zone as last heard from the clients topic, or the documented default. */
  async agencyZone(agencyId: string): Promise<string> {
    return (await analyticsFacts.agencies.settings(this.db, agencyId)).timezone;
  }
}
