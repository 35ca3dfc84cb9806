import { DateTime } from 'luxon';

/**
 * The calendar rules every service counts with, once: an instant's local date, ISO week and month in
 * a zone (the zone a rule names: the assistant's for a timesheet week, the agency's for a retainer or
 * billing month, the client's for a client's day).
 */

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(instant: Date | string, zone: string): string {
  const dt = typeof instant === 'string' ? DateTime.fromISO(instant, { zone }) : DateTime.fromJSDate(instant, { zone });
  return dt.toISODate()!;
}

/** The ISO week (Monday to Sunday) of an instant in a zone, as `2026-W11`. */
export function isoWeekOf(instant: string, zone: string): string {
  const d = DateTime.fromISO(instant, { zone });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
}

/** A calendar date (YYYY-MM-DD) moved by whole days (negative: back); a date has no zone, so none is asked. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** The month (YYYY-MM) of an instant in a zone. */
export const monthOf = (instant: string, zone: string): string => DateTime.fromISO(instant, { zone }).toFormat('yyyy-MM');
