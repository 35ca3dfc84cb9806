import { Injectable } from '@nestjs/common';
import { clientsFacts, type AgencySettings, type AssistantFactsDoc, type EngagementFactsDoc as FactsDoc } from '@vaops/facts';
import { readModelFor } from '@vaops/platform';

export { SINCE_START } from '@vaops/facts';

/** What time-tracking needs of the clients service, learnt from its public events (the facts kit). */
export const CLIENTS_FACTS = 'time-tracking.clients-facts';

export const timeTrackingFacts = clientsFacts({
  name: CLIENTS_FACTS,
  assistants: { collection: 'tt_assistants', fields: ['timezone'] },
  engagements: { collection: 'tt_engagements', fields: ['status', 'startsOn', 'endsOn', 'plan', 'phaseHistory'], indexes: [{ key: { agencyId: 1, clientId: 1 } }, { key: { agencyId: 1, assistantId: 1 } }] },
  agencies: { collection: 'tt_agencies', fields: ['timezone', 'rounding'] },
  // entries' notes and timesheets' reasons are under engagements' keys: an erasure must end them here at once
  hearErasures: true,
});

export type EngagementFactsDoc = FactsDoc<'status' | 'startsOn' | 'endsOn' | 'plan' | 'phaseHistory'>;
export type AssistantDoc = AssistantFactsDoc<'timezone'>;
export type AgencyDoc = { _id: string; _v: number } & AgencySettings<'timezone' | 'rounding'>;

/** The clients service's facts as time-tracking last heard them: engagements, assistants' zones, agencies' rules. */
@Injectable()
export class TimeTrackingFacts extends readModelFor(CLIENTS_FACTS) {
  engagement(id: string): Promise<EngagementFactsDoc | null> {
    return timeTrackingFacts.engagements.byId(this.db, id);
  }

  assistant(id: string): Promise<AssistantDoc | null> {
    return timeTrackingFacts.assistants.byId(this.db, id);
  }

  /** The agency's zone and rounding as last heard, or the documented defaults. */
  agencyRules(agencyId: string): Promise<AgencySettings<'timezone' | 'rounding'>> {
    return timeTrackingFacts.agencies.settings(this.db, agencyId);
  }
}
