import { DateTime } from 'luxon';
import { localDate } from './calendar';
import type { WorkingHoursV1 } from './clients/v1';

/**
 * Working hours as time: a person's local "HH:mm" windows per ISO weekday, read in their zone on actual
 * dates (so a clock change shifts them), joined where they touch (09:00-12:00 and 12:00-17:00 are one
 * stretch, and so are a night shift's 21:00-24:00 and the next day's 00:00-05:00). Scheduling books
 * inside them; matching measures how those of an assistant and a client overlap.
 */

/** [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

/** A calendar date, whatever the zone. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
  /** ISO weekday 1 (Monday) .. 7 (Sunday). */
  weekday: number;
}

const hm = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/** The `i`th day after the ISO date `from` (YYYY-MM-DD). */
export function calendarDateAfter(from: string, i: number): CalendarDate {
  const x = new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000);
  return { year: x.getUTCFullYear(), month: x.getUTCMonth() + 1, day: x.getUTCDate(), weekday: x.getUTCDay() || 7 };
}

/**
 * Local dates of zones as instants, remembered per zone and date: luxon's zone arithmetic (the slow
 * part) runs once per zone and date, the times of a day are then minutes after its midnight, except on
 * a day its zone changes its clocks, which luxon answers time by time.
 */
export class ZoneDays {
  private readonly days = new Map<string, { midnight: number; next: number }>();

  private day(date: CalendarDate, zone: string): { midnight: number; next: number } {
    const key = `${zone}|${date.year}-${date.month}-${date.day}`;
    let d = this.days.get(key);
    if (!d) {
      const start = DateTime.fromObject({ year: date.year, month: date.month, day: date.day }, { zone });
      d = { midnight: start.toMillis(), next: start.plus({ days: 1 }).toMillis() };
      this.days.set(key, d);
    }
    return d;
  }

  /** The instant of local minute `m` (0..1440) of the date in the zone (a time the clocks skip moves forwards). */
  at(date: CalendarDate, zone: string, m: number): number {
    const d = this.day(date, zone);
    if (m === 1440) return d.next;
    if (d.next - d.midnight === 86_400_000) return d.midnight + m * 60_000;
    return DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour: Math.floor(m / 60), minute: m % 60 }, { zone }).toMillis();
  }
}

/** The instants of `hours` on one local date of `zone` (24:00 is the next day's midnight). */
export function workingIntervalsOn(days: ZoneDays, date: CalendarDate, zone: string, hours: WorkingHoursV1[]): Interval[] {
  const out: Interval[] = [];
  for (const w of hours) {
    if (w.day !== date.weekday) continue;
    const start = days.at(date, zone, hm(w.start));
    const end = days.at(date, zone, hm(w.end));
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** Sorted, with touching and overlapping intervals joined (so split shifts that overlap count once). */
export function mergedIntervals(xs: Interval[]): Interval[] {
  const sorted = [...xs].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last && x.start <= last.end) last.end = Math.max(last.end, x.end);
    else out.push({ ...x });
  }
  return out;
}

/**
 * Whether all of [startsAt, endsAt) lies inside the working hours, read in `zone`: inside one stretch of
 * the windows of the local dates it touches, joined where they touch, so a slot may run past midnight
 * into the next day's window (a night shift's 23:30-00:30). No declared hours means no restriction.
 */
export function withinWorkingHours(startsAt: string, endsAt: string, zone: string, hours: WorkingHoursV1[], days: ZoneDays = new ZoneDays()): boolean {
  if (hours.length === 0) return true;
  const start = Date.parse(startsAt);
  const end = Date.parse(endsAt);
  const first = localDate(startsAt, zone);
  const last = localDate(endsAt, zone);
  const windows: Interval[] = [];
  for (let i = 0; ; i++) {
    const date = calendarDateAfter(first, i);
    windows.push(...workingIntervalsOn(days, date, zone, hours));
    if (isoDate(date) >= last) break;
  }
  return mergedIntervals(windows).some((w) => w.start <= start && end <= w.end);
}

const isoDate = (d: CalendarDate): string => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
