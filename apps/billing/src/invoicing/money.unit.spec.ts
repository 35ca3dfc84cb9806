import { divRoundHalfUp, formatMoney, minutesTimesRate, prorate, sumMoney } from './money';

describe('money', () => {
  it('rounds hours × rate once, half up, in integers', () => {
    // 7 min at 19.99/h = 2.332166… → 2.33
    expect(minutesTimesRate(7, 1999)).toBe(233);
    // 1 min at 0.30/h = 0.005 → half up → 0.01
    expect(minutesTimesRate(1, 30)).toBe(1);
    // 90 min at 25.00/h = exactly 37.50
    expect(minutesTimesRate(90, 2500)).toBe(3750);
    // 11 min at 1.50/h = 0.275 exactly → 0.28; in floats (11 / 60) × 150 = 27.499999999999996 → 0.27
    expect(Math.round((11 / 60) * 150)).toBe(27);
    expect(minutesTimesRate(11, 150)).toBe(28);
    // negative adjustments round symmetrically
    expect(minutesTimesRate(-7, 1999)).toBe(-233);
    expect(minutesTimesRate(0, 1999)).toBe(0);
  });

  it('sums exactly where floats go wrong', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumMoney([{ amountMinor: 10, currency: 'USD' }, { amountMinor: 20, currency: 'USD' }], 'USD')).toEqual({ amountMinor: 30, currency: 'USD' });
    expect(() => sumMoney([{ amountMinor: 10, currency: 'EUR' }], 'USD')).toThrow('cannot add EUR to USD');
    expect(() => sumMoney([{ amountMinor: 0.1, currency: 'USD' }], 'USD')).toThrow('integer');
    expect(sumMoney([{ amountMinor: Number.MAX_SAFE_INTEGER - 1, currency: 'USD' }, { amountMinor: 1, currency: 'USD' }], 'USD').amountMinor).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('prorates by days with one rounding step', () => {
    // 2000.00 for 10 of 31 days = 645.161… → 645.16
    expect(prorate(200000, 10, 31)).toBe(64516);
    // 1000.00 for 15 of 30 days = exactly 500.00
    expect(prorate(100000, 15, 30)).toBe(50000);
    expect(prorate(100000, 30, 30)).toBe(100000);
    expect(prorate(1, 1, 2)).toBe(1);
  });

  it('rounds halves away from zero', () => {
    expect(divRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divRoundHalfUp(-5n, 10n)).toBe(-1n);
  });

  it('formats for display', () => {
    expect(formatMoney({ amountMinor: 123456, currency: 'USD' })).toBe('1,234.56 USD');
    expect(formatMoney({ amountMinor: -5, currency: 'EUR' })).toBe('-0.05 EUR');
  });
});
