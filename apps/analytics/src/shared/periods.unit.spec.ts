import { daysBetween, inPeriod, isIsoWeek, isoWeekOf, monthsOf } from './periods';

describe('periods', () => {
  it('accepts ISO weeks that exist', () => {
    expect(isIsoWeek('2026-W11')).toBe(true);
    expect(isIsoWeek('2026-W53')).toBe(true); // 2026 has 53 ISO weeks
    expect(isIsoWeek('2025-W53')).toBe(false);
    expect(isIsoWeek('2026-W00')).toBe(false);
    expect(isIsoWeek('2026-11')).toBe(false);
    expect(isIsoWeek('2026-w11')).toBe(false);
  });

  it('expands a year into its months', () => {
    expect(monthsOf('2026-03')).toEqual(['2026-03']);
    expect(monthsOf('2026')).toHaveLength(12);
    expect(monthsOf('2026')[11]).toBe('2026-12');
    expect(() => monthsOf('2026-13')).toThrow(RangeError);
  });

  it('reads weeks and months in a zone', () => {
    // Sunday 23:30 in London is already Monday in Manila
    expect(isoWeekOf('2026-03-15T23:30:00Z', 'Europe/London')).toBe('2026-W11');
    expect(isoWeekOf('2026-03-15T23:30:00Z', 'Asia/Manila')).toBe('2026-W12');
    expect(inPeriod('2026-03-31T23:30:00Z', '2026-03', 'UTC')).toBe(true);
    expect(inPeriod('2026-03-31T23:30:00Z', '2026-03', 'Asia/Manila')).toBe(false);
    expect(inPeriod('2026-03-31T23:30:00Z', '2026', 'Asia/Manila')).toBe(true);
  });

  it('counts calendar days, never negative', () => {
    expect(daysBetween('2026-03-02', '2026-03-16')).toBe(14);
    // across the DST change in March, still whole days
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
    expect(daysBetween('2026-03-16', '2026-03-02')).toBe(0);
  });
});
