import type { AssistantDoc } from '../facts/clients-facts.projection';
import type { LoggedEntryDoc } from '../facts/time.projection';
import { ratio } from '../shared/figures';

export interface UtilizationRow {
  assistantId: string;
  week: string;
  loggedMinutes: number;
  capacityMinutes: number;
  /** loggedMinutes / capacityMinutes, 4 decimals; null for a capacity of 0. */
  utilization: number | null;
}

/**
 * One row per assistant: every minute logged in the week (billable or not, approved or not; a
 * corrected entry counts as corrected, an adjusting entry adds its signed difference) against the
 * weekly capacity.
 */
export function utilizationRows(
  week: string,
  assistants: Pick<AssistantDoc, '_id' | 'weeklyCapacityMinutes'>[],
  entries: Pick<LoggedEntryDoc, 'assistantId' | 'actualMinutes' | 'isoWeek'>[],
): UtilizationRow[] {
  const logged = new Map<string, number>();
  for (const e of entries) if (e.isoWeek === week) logged.set(e.assistantId, (logged.get(e.assistantId) ?? 0) + e.actualMinutes);
  return assistants.map((a) => {
    const loggedMinutes = logged.get(a._id) ?? 0;
    return { assistantId: a._id, week, loggedMinutes, capacityMinutes: a.weeklyCapacityMinutes, utilization: ratio(loggedMinutes, a.weeklyCapacityMinutes) };
  });
}
