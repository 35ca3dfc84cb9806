import { addDays, isoWeekOf, localDate, marginOf, monthOf, payFor } from './index';

describe('the calendar rules every service counts with', () => {
  it("gives an instant's local date, ISO week and month in the zone a rule names", () => {
    // Sunday 23:30 in New York is Monday 04:30 UTC (winter) and Monday 13:30 in Manila
    const at = '2026-03-02T04:30:00Z';
    expect([localDate(at, 'America/New_York'), localDate(at, 'UTC'), localDate(at, 'Asia/Manila')]).toEqual(['2026-03-01', '2026-03-02', '2026-03-02']);
    expect([isoWeekOf(at, 'America/New_York'), isoWeekOf(at, 'Asia/Manila')]).toEqual(['2026-W09', '2026-W10']);
    expect(localDate(new Date(at), 'America/New_York')).toBe('2026-03-01');
    // the last evening of a month in Los Angeles is the next month in UTC
    expect([monthOf('2026-04-01T05:00:00Z', 'America/Los_Angeles'), monthOf('2026-04-01T05:00:00Z', 'UTC')]).toEqual(['2026-03', '2026-04']);
    // ISO week years: 1 January 2027 (a Friday) is in 2026-W53
    expect(isoWeekOf('2027-01-01T12:00:00Z', 'UTC')).toBe('2026-W53');
  });

  it('moves a date by whole days, across months, leap days and the days clocks change', () => {
    expect([addDays('2026-03-02', 14), addDays('2026-03-01', -1), addDays('2028-02-28', 1), addDays('2026-03-29', 1), addDays('2026-12-31', 1)]).toEqual(['2026-03-16', '2026-02-28', '2028-02-29', '2026-03-30', '2027-01-01']);
  });

  it('pays minutes at a rate with the one rounding step, and nets a margin only in one currency', () => {
    expect(payFor(7, { amountMinor: 1001, currency: 'USD' })).toEqual({ amountMinor: 117, currency: 'USD' });
    expect(payFor(-7, { amountMinor: 1999, currency: 'EUR' })).toEqual({ amountMinor: -233, currency: 'EUR' });
    expect(marginOf({ amountMinor: 10_000, currency: 'USD' }, { amountMinor: 6_250, currency: 'USD' })).toEqual({ amountMinor: 3_750, currency: 'USD' });
    expect(marginOf({ amountMinor: 10_000, currency: 'USD' }, { amountMinor: 6_250, currency: 'EUR' })).toBeNull();
    expect(marginOf({ amountMinor: 10_000, currency: 'MIXED' }, { amountMinor: 6_250, currency: 'MIXED' })).toBeNull();
  });
});
