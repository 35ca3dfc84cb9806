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
 * Whether [startsAt, endsAt) lies inside one of the working-hours slots, read in the assistant's zone.
 * No declared hours means no restriction.
 */
export function withinWorkingHours(startsAt: string, endsAt: string, zone: string, hours: WorkingHoursV1[]): boolean {
  if (hours.length === 0) return true;
  const start = DateTime.fromISO(startsAt, { zone });
  const end = DateTime.fromISO(endsAt, { zone });
  const startMin = start.hour * 60 + start.minute;
  const sameDay = end.toISODate() === start.toISODate();
  const endMin = sameDay ? end.hour * 60 + end.minute : end.toISODate() === start.plus({ days: 1 }).toISODate() && end.hour === 0 && end.minute === 0 ? 1440 : Infinity;
  return hours.some((w) => w.day === start.weekday && startMin >= minutesOf(w.start) && endMin <= minutesOf(w.end));
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
