import { DateTime } from 'luxon';
import type { RecurrenceEvery, WorkingHoursV1 } from '@vaops/contracts';

// the calendar rules every service shares (libs/contracts/src/calendar.ts)
export { localDate } from '@vaops/contracts';

/** "HH:mm" of an instant in a zone. */
export function localTime(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone }).toFormat('HH:mm');
}

/** [start, end) of a local day in a zone as UTC instants: 23 or 25 hours long on a DST change. */
export function dayWindow(date: string, zone: string): { from: string; to: string } {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return { from: start.toUTC().toISO()!, to: start.plus({ days: 1 }).toUTC().toISO()! };
}

export const toUtc = (instant: string): string => new Date(instant).toISOString();

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether every minute of [startsAt, endsAt) lies inside the assistant's working hours, read in their
 * zone. Windows of one day that touch count as one (09:00-12:00 and 12:00-17:00), and a slot may run past
 * midnight into the next day's window: a night shift is declared as 21:00-24:00 and the next day's
 * 00:00-05:00 (as matching reads it), and 23:30-00:30 fits it. No declared hours means no restriction.
 */
export function withinWorkingHours(startsAt: string, endsAt: string, zone: string, hours: WorkingHoursV1[]): boolean {
  if (hours.length === 0) return true;
  const end = DateTime.fromISO(endsAt, { zone });
  let cursor = DateTime.fromISO(startsAt, { zone });
  // the slot day by day, each part up to the local midnight (a day of 23 or 25 hours on a clock change)
  while (cursor < end) {
    const midnight = cursor.startOf('day').plus({ days: 1 });
    const partEnd = end < midnight ? end : midnight;
    const to = partEnd < midnight ? partEnd.hour * 60 + partEnd.minute : 1440;
    if (!covered(hours, cursor.weekday, cursor.hour * 60 + cursor.minute, to)) return false;
    cursor = partEnd;
  }
  return true;
}

/** Whether the day's windows, joined where they touch or overlap, cover [from, to) (minutes of the day). */
function covered(hours: WorkingHoursV1[], weekday: number, from: number, to: number): boolean {
  const windows = hours
    .filter((w) => w.day === weekday)
    .map((w) => [minutesOf(w.start), minutesOf(w.end)] as const)
    .sort((a, b) => a[0] - b[0]);
  let reach = from;
  for (const [start, end] of windows) {
    if (start > reach) break;
    reach = Math.max(reach, end);
  }
  return reach >= to;
}

/**
 * Occurrences of a series: the first start's wall-clock time in `zone`, repeated every week or two
 * (luxon keeps the local time across DST changes), each lasting as long as the first.
 */
export function expandSeries(
  first: { startsAt: string; endsAt: string },
  zone: string,
  every: RecurrenceEvery,
  limit: { count?: number; until?: string; max: number },
): { startsAt: string; endsAt: string }[] {
  const start = DateTime.fromISO(first.startsAt, { zone });
  const durationMs = Date.parse(first.endsAt) - Date.parse(first.startsAt);
  const step = every === 'week' ? 1 : 2;
  const out: { startsAt: string; endsAt: string }[] = [];
  for (let i = 0; i < limit.max; i++) {
    if (limit.count !== undefined && i >= limit.count) break;
    const s = start.plus({ weeks: i * step });
    if (limit.until !== undefined && s.toISODate()! > limit.until) break;
    const startsAt = s.toUTC().toISO()!;
    out.push({ startsAt, endsAt: new Date(Date.parse(startsAt) + durationMs).toISOString() });
  }
  return out;
}
