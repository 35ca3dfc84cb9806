import type { TimeEntryValuesV2 } from '@vaops/contracts';
import type { Clock } from '@vaops/event-sourcing';
import { visibleEngagement as visibleFacts } from '@vaops/facts';
import { ResourceErrors, ReadModelBehindError, waitFor, type Current, type Principal } from '@vaops/platform';
import type { AssistantDoc, EngagementFactsDoc, TimeTrackingFacts } from '../facts/clients-facts.projection';
import type { TimelogState } from './timelog';
import type { EngagementFacts, EntryPolicy } from './timelog.decider';
import { TimelogErrors } from './timelog.errors';

export type VisibleEngagement = EngagementFacts & { agencyId: string; plan: EngagementFactsDoc['plan'] };

/** The engagement if the caller may see it: the agency, its assistant or its client; else 404. */
export async function visibleEngagement(facts: TimeTrackingFacts, engagementId: string, p: Principal): Promise<VisibleEngagement> {
  return visibleFacts(await facts.engagement(engagementId), engagementId, p);
}

/** The assistant's zone and the agency's rules; the assistant arrives on another partition, so wait briefly. */
export async function entryPolicy(facts: TimeTrackingFacts, agencyId: string, assistantId: string): Promise<EntryPolicy> {
  let assistant: AssistantDoc | null = null;
  const found = async () => {
    try {
      await waitFor(async () => (assistant = await facts.assistant(assistantId)) !== null);
    } catch (err) {
      if (err instanceof ReadModelBehindError) throw ResourceErrors.assistantNotFound(`assistant ${assistantId} is not known to time-tracking yet`);
      throw err;
    }
  };
  // the two reads go together
  const [, agency] = await Promise.all([found(), facts.agencyRules(agencyId)]);
  return { assistantZone: assistant!.timezone, agencyZone: agency.timezone, rounding: agency.rounding };
}

export const nowOf = (clock: Clock): string => clock.now().toISOString();



/** The TimeEntry shape of API.md (plus notes, weeks and adjustment links). */
export const entryView = (id: string, d: TimeEntryValuesV2 & { engagementId: string; status: string; version: number; adjusts: string | null; supersededBy?: string | null }) => ({
  id,
  engagementId: d.engagementId,
  category: d.category,
  startedAt: d.startedAt,
  endedAt: d.endedAt,
  actualMinutes: d.actualMinutes,
  billedMinutes: d.billedMinutes,
  billable: d.billable,
  notes: d.notes,
  isoWeek: d.isoWeek,
  adjusts: d.adjusts,
  /** The adjusting entry that corrected this one (this one's time still counts: the adjustment is the difference). */
  supersededBy: d.supersededBy ?? null,
  status: d.status,
  version: d.version,
});

/** The engagement of an entry, as the timelog's state holds it, or 404. */
export function entryEngagementId(timelog: Current<TimelogState> | null, entryId: string): string {
  const e = timelog?.state.entries[entryId];
  if (!e) throw TimelogErrors.entryNotFound(`time entry ${entryId} not found`);
  return e.engagementId;
}
