import { ResourceErrors, ReadModelBehindError, waitFor, type Principal } from '@vaops/platform';
import { ENGAGEMENTS, PEOPLE, agencyPolicies, personId, type EngagementFactsDoc, type PersonDoc } from '../facts/clients-facts.projection';
import type { SchedulingPolicies } from '../policy/scheduling-policies';
import type { Runtime } from '../runtime';
import type { EngagementFacts, SlotPolicy } from './calendar.decider';

export interface BookingContext {
  engagement: EngagementFacts;
  policy: SlotPolicy;
  minimumNoticeHours: number;
  clientZone: string;
}

/** The engagement if the caller may see it: the agency, its assistant or its client; else 404. */
export async function visibleEngagement(runtime: Runtime, engagementId: string, p: Principal): Promise<EngagementFacts & { agencyId: string }> {
  const doc = await runtime.db.collection<EngagementFactsDoc>(ENGAGEMENTS).findOne({ _id: engagementId });
  if (!doc || doc.agencyId !== p.agencyId || (p.role === 'client' && doc.clientId !== p.clientId) || (p.role === 'assistant' && doc.assistantId !== p.assistantId)) {
    throw ResourceErrors.engagementNotFound(`engagement ${engagementId} not found`);
  }
  const { _id, _v: _version, _rev: _revision, ...facts } = doc as typeof doc & { _rev?: number };
  return { engagementId: _id, ...facts };
}

/** A party's zone and hours; they arrive on another partition than the engagement, so wait briefly. */
export async function person(runtime: Runtime, role: 'client' | 'assistant', id: string): Promise<PersonDoc> {
  let found: PersonDoc | null = null;
  try {
    await waitFor(async () => (found = await runtime.db.collection<PersonDoc>(PEOPLE).findOne({ _id: personId(role, id) })) !== null);
  } catch (err) {
    if (err instanceof ReadModelBehindError) throw ResourceErrors[`${role}NotFound`](`${role} ${id} is not known to scheduling yet`);
    throw err;
  }
  return found!;
}

/** Everything a booking on this engagement is checked against. */
export async function bookingContext(runtime: Runtime, policies: SchedulingPolicies, engagement: EngagementFacts & { agencyId: string }): Promise<BookingContext> {
  const [assistant, client, agency, policy] = await Promise.all([
    person(runtime, 'assistant', engagement.assistantId),
    person(runtime, 'client', engagement.clientId),
    agencyPolicies(runtime.db, engagement.agencyId),
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
