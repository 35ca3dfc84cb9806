import type { EngagementDoc, PhasePeriod } from '../facts/clients-facts.projection';
import { daysBetween } from '../shared/periods';

export interface TenureView {
  engagementId: string;
  clientId: string;
  assistantId: string;
  status: EngagementDoc['status'];
  startsOn: string;
  endedOn: string | null;
  endedBy: EngagementDoc['endedBy'];
  notice: EngagementDoc['notice'];
  /** Days from startsOn to endedOn, or to today while it runs; 0 before it starts. */
  tenureDays: number;
  /** The phase in force from the start, then every change in order (skips listed). */
  phases: PhasePeriod[];
}

/** `today` is the date in the agency's zone by the service clock (the test clock under VAOPS_TEST_CLOCK). */
export function tenureOf(d: EngagementDoc, today: string): TenureView {
  return {
    engagementId: d._id,
    clientId: d.clientId,
    assistantId: d.assistantId,
    status: d.status,
    startsOn: d.startsOn,
    endedOn: d.endedOn,
    endedBy: d.endedBy,
    notice: d.notice,
    tenureDays: daysBetween(d.startsOn, d.endedOn ?? today),
    phases: d.phases,
  };
}
