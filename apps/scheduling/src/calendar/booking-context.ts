import { visibleEngagement as visibleFacts } from '@vaops/facts';
import { ResourceErrors, ReadModelBehindError, waitFor, type Principal } from '@vaops/platform';
import type { PersonDoc, SchedulingFacts } from '../facts/clients-facts.projection';
import type { SchedulingPolicies } from '../policy/scheduling-policies';
import type { EngagementFacts, SlotPolicy } from './calendar.decider';

export interface BookingContext {
  engagement: EngagementFacts;
  policy: SlotPolicy;
  minimumNoticeHours: number;
  clientZone: string;
}

/** The engagement if the caller may see it: the agency, its assistant or its client; else 404. */
export async function visibleEngagement(facts: SchedulingFacts, engagementId: string, p: Principal): Promise<EngagementFacts & { agencyId: string }> {
  return visibleFacts(await facts.engagement(engagementId), engagementId, p);
}

/** A party's zone and hours; they arrive on another partition than the engagement, so wait briefly. */
export async function person(facts: SchedulingFacts, role: 'client' | 'assistant', id: string): Promise<PersonDoc> {
  let found: PersonDoc | null = null;
  try {
    await waitFor(async () => (found = await facts.person(role, id)) !== null);
  } catch (err) {
    if (err instanceof ReadModelBehindError) throw ResourceErrors[`${role}NotFound`](`${role} ${id} is not known to scheduling yet`);
    throw err;
  }
  return found!;
}

/** Everything a booking on this engagement is checked against. */
export async function bookingContext(facts: SchedulingFacts, policies: SchedulingPolicies, engagement: EngagementFacts & { agencyId: string }): Promise<BookingContext> {
  const [assistant, client, agency, policy] = await Promise.all([
    person(facts, 'assistant', engagement.assistantId),
    person(facts, 'client', engagement.clientId),
    facts.agencyPolicies(engagement.agencyId),
    policies.load(engagement.engagementId, engagement.agencyId),
  ]);
  return {
    engagement,
    clientZone: client.timezone,
    minimumNoticeHours: agency.minimumNoticeHours,
    policy: {
      bufferMinutes: agency.bufferMinutes,
      agencyZone: agency.timezone,
      assistantZone: assistant.timezone,
      workingHours: assistant.workingHours,
      allowOutsideWorkingHours: policy?.state.allowOutsideWorkingHours ?? false,
    },
  };
}
