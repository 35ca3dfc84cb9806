import { DateTime } from 'luxon';

// the calendar rules every service shares (libs/contracts/src/calendar.ts)
export { addDays, localDate } from '@vaops/contracts';

/**
 * Working days (Monday to Friday in `zone`) after the local date of `from` up to and including the
 * local date of `to`. `from` may be an instant or a date (read as that day in the zone).
 * Last activity on a Monday and now the next Monday: 5.
 */
export function workingDaysBetween(from: string, to: Date | string, zone: string): number {
  let day = DateTime.fromISO(from, { zone }).startOf('day');
  const end = (typeof to === 'string' ? DateTime.fromISO(to, { zone }) : DateTime.fromJSDate(to, { zone })).startOf('day');
  let count = 0;
  while (day < end) {
    day = day.plus({ days: 1 });
    if (day.weekday <= 5) count++;
  }
  return count;
}
