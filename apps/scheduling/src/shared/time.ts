import { DateTime } from 'luxon';
import type { RecurrenceEvery } from '@vaops/contracts';

// the calendar rules every service shares (libs/contracts/src/calendar.ts, working-hours.ts)
export { localDate, withinWorkingHours } from '@vaops/contracts';

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
