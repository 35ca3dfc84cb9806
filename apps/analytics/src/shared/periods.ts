import { DateTime } from 'luxon';
import { monthOf } from '@vaops/contracts';

/** `2026-W11`: an ISO week (Monday to Sunday). */
export const ISO_WEEK = /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/;
/** `2026-03` (a calendar month) or `2026` (the whole year). */
export const PERIOD = /^\d{4}(-(0[1-9]|1[0-2]))?$/;

/** W53 exists only in years with 53 ISO weeks. */
export function isIsoWeek(value: string): boolean {
  const m = ISO_WEEK.exec(value);
  if (!m) return false;
  return Number(m[2]) <= DateTime.fromObject({ weekYear: Number(m[1]), weekNumber: 1, weekday: 1 }, { zone: 'UTC' }).weeksInWeekYear;
}

/** The months (YYYY-MM) a period covers: itself, or the twelve of a year. */
export function monthsOf(period: string): string[] {
  if (!PERIOD.test(period)) throw new RangeError(`not a period: ${period}`);
  if (period.length === 7) return [period];
  return Array.from({ length: 12 }, (_, i) => `${period}-${String(i + 1).padStart(2, '0')}`);
}

// an instant's ISO week and month in a zone: the rules time-tracking counts with (libs/contracts/src/calendar.ts)
export { isoWeekOf, monthOf } from '@vaops/contracts';

/** Whether an instant falls in the period (a month, or a year) in a zone. */
export const inPeriod = (instant: string, period: string, zone: string): boolean => monthOf(instant, zone).startsWith(period);


/** Whole calendar days from one date to a later one (`2026-03-02` to `2026-03-16` is 14); never negative. */
export function daysBetween(from: string, to: string): number {
  const days = DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days;
  return Math.max(0, Math.round(days));
}
