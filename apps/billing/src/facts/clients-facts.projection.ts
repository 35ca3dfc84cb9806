import { Injectable } from '@nestjs/common';
import { clientsFacts, type AgencySettings, type AssistantFactsDoc, type ClientFactsDoc, type EngagementFactsDoc } from '@vaops/facts';
import { readModelFor } from '@vaops/platform';

/** What billing needs of the clients service, learnt from its public events (the facts kit). */
export const CLIENTS_FACTS = 'billing.clients-facts';

export const billingFacts = clientsFacts({
  name: CLIENTS_FACTS,
  clients: { collection: 'bl_clients', fields: ['name', 'currency'], indexes: [{ key: { agencyId: 1 } }] },
  engagements: { collection: 'bl_engagements', fields: ['startsOn', 'endsOn', 'plans', 'handoverOn'], indexes: [{ key: { agencyId: 1, clientId: 1 } }] },
  assistants: { collection: 'bl_assistants', fields: ['name', 'payRate'] },
  agencies: { collection: 'bl_agencies', fields: ['timezone'] },
});

export type ClientDoc = ClientFactsDoc<'name' | 'currency'>;
export type EngagementDoc = EngagementFactsDoc<'startsOn' | 'endsOn' | 'plans' | 'handoverOn'>;
export type AssistantDoc = AssistantFactsDoc<'name' | 'payRate'>;
export type AgencyDoc = { _id: string; _v: number } & AgencySettings<'timezone'>;

/** The clients service's facts as billing last heard them: clients, engagements, assistants, agencies' zones. */
@Injectable()
export class BillingFacts extends readModelFor(CLIENTS_FACTS) {
  client(id: string): Promise<ClientDoc | null> {
    return billingFacts.clients.byId(this.db, id);
  }

  /** Every client of the agency. */
  clientsOf(agencyId: string): Promise<ClientDoc[]> {
    return billingFacts.clients.of(this.db).find({ agencyId }).toArray();
  }

  /** Every engagement of the agency (ended ones included). */
  engagementsOf(agencyId: string): Promise<EngagementDoc[]> {
    return billingFacts.engagements.of(this.db).find({ agencyId }).toArray();
  }

  assistant(id: string): Promise<AssistantDoc | null> {
    return billingFacts.assistants.byId(this.db, id);
  }

  /** Every assistant of the agency. */
  assistantsOf(agencyId: string): Promise<AssistantDoc[]> {
    return billingFacts.assistants.of(this.db).find({ agencyId }).toArray();
  }

  /** The agency's zone as last heard, or the documented default. */
  async agencyZone(agencyId: string): Promise<string> {
    return (await billingFacts.agencies.settings(this.db, agencyId)).timezone;
  }
}
