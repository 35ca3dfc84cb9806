import { MoneyError, assertMinor, divRoundHalfUp, marginOf, minutesTimesRate, payFor, toSafeMinor, type Money } from './money';

const MAX = Number.MAX_SAFE_INTEGER;
const usd = (amountMinor: number): Money => ({ amountMinor, currency: 'USD' });

describe('money', () => {
  it('refuses with a MoneyError, a RangeError', () => {
    expect(new MoneyError('x')).toBeInstanceOf(RangeError);
  });

  describe('divRoundHalfUp', () => {
    it('divides exactly when it can', () => {
      expect(divRoundHalfUp(0n, 7n)).toBe(0n);
      expect(divRoundHalfUp(90n, 3n)).toBe(30n);
      expect(divRoundHalfUp(-90n, 3n)).toBe(-30n);
    });

    it('rounds halves away from zero, and below a half towards it', () => {
      expect(divRoundHalfUp(5n, 10n)).toBe(1n);
      expect(divRoundHalfUp(15n, 10n)).toBe(2n);
      expect(divRoundHalfUp(4n, 10n)).toBe(0n);
      expect(divRoundHalfUp(6n, 10n)).toBe(1n);
      expect(divRoundHalfUp(-5n, 10n)).toBe(-1n);
      expect(divRoundHalfUp(-15n, 10n)).toBe(-2n);
      expect(divRoundHalfUp(-4n, 10n)).toBe(0n);
      expect(divRoundHalfUp(-6n, 10n)).toBe(-1n);
    });

    it('stays exact beyond the safe integers', () => {
      expect(divRoundHalfUp(2n ** 80n + 1n, 2n)).toBe(2n ** 79n + 1n);
      expect(divRoundHalfUp(-(2n ** 80n) - 1n, 2n)).toBe(-(2n ** 79n) - 1n);
    });

    it('refuses a denominator that is not positive', () => {
      expect(() => divRoundHalfUp(1n, 0n)).toThrow(MoneyError);
      expect(() => divRoundHalfUp(1n, -3n)).toThrow('denominator must be positive');
    });
  });

  describe('toSafeMinor', () => {
    it('turns a BigInt within the safe integers into a number', () => {
      expect(toSafeMinor(0n)).toBe(0);
      expect(toSafeMinor(-233n)).toBe(-233);
      expect(toSafeMinor(BigInt(MAX))).toBe(MAX);
      expect(toSafeMinor(BigInt(-MAX))).toBe(-MAX);
    });

    it('refuses one outside them rather than lose cents', () => {
      expect(() => toSafeMinor(BigInt(MAX) + 1n)).toThrow(MoneyError);
      expect(() => toSafeMinor(BigInt(-MAX) - 1n)).toThrow(`amount ${BigInt(-MAX) - 1n} is out of range`);
    });
  });

  describe('assertMinor', () => {
    it('takes any safe integer, zero and negatives included', () => {
      for (const n of [0, 1, -1, -250, MAX, -MAX]) expect(() => assertMinor(n, 'amount')).not.toThrow();
    });

    it('refuses fractions, NaN, infinities and unsafe integers, naming what it checked', () => {
      for (const n of [0.5, 19.99, -0.01, NaN, Infinity, -Infinity, MAX + 1]) {
        expect(() => assertMinor(n, 'rate')).toThrow(MoneyError);
      }
      expect(() => assertMinor(12.5, 'rate')).toThrow('rate must be an integer number of minor units, got 12.5');
    });
  });

  describe('minutesTimesRate (docs/billing.md rule 1)', () => {
    it('rounds minutes × rate per hour once, half up', () => {
      expect(minutesTimesRate(7, 1999)).toBe(233); // 2.3321… → 2.33
      expect(minutesTimesRate(1, 30)).toBe(1); // 0.005 → 0.01
      expect(minutesTimesRate(11, 150)).toBe(28); // 0.275 exactly → 0.28 (floats say 0.27)
      expect(minutesTimesRate(60, 2500)).toBe(2500);
    });

    it('is zero for no minutes or a zero rate', () => {
      expect(minutesTimesRate(0, 1999)).toBe(0);
      expect(minutesTimesRate(90, 0)).toBe(0);
    });

    it('rounds negative minutes (adjustments) symmetrically', () => {
      expect(minutesTimesRate(-7, 1999)).toBe(-233);
      expect(minutesTimesRate(-1, 30)).toBe(-1);
      expect(minutesTimesRate(-60, 2500)).toBe(-2500);
    });

    it('is exact up to the largest safe amount, where floats are not, and refuses beyond it', () => {
      // 59 min at 90,071,992,547,407.94 per hour: floats land one cent short
      expect(Math.round((59 * 9007199254740794) / 60)).toBe(8857079267161780);
      expect(minutesTimesRate(59, 9007199254740794)).toBe(8857079267161781);
      expect(minutesTimesRate(60, MAX)).toBe(MAX);
      expect(minutesTimesRate(-60, MAX)).toBe(-MAX);
      expect(() => minutesTimesRate(61, MAX)).toThrow(MoneyError);
    });

    it('refuses minutes or a rate that are not integers', () => {
      expect(() => minutesTimesRate(7.5, 1999)).toThrow('billedMinutes must be an integer number of minor units');
      expect(() => minutesTimesRate(7, 19.99)).toThrow('rate must be an integer number of minor units');
    });
  });

  describe('payFor', () => {
    it("pays the billed minutes at the pay rate, in the rate's currency", () => {
      expect(payFor(97, { amountMinor: 1200, currency: 'PHP' })).toEqual({ amountMinor: 1940, currency: 'PHP' });
      expect(payFor(7, usd(1999))).toEqual(usd(233));
    });

    it('pays nothing for no minutes, and takes back for negative ones', () => {
      expect(payFor(0, usd(1200))).toEqual(usd(0));
      expect(payFor(-15, usd(1200))).toEqual(usd(-300));
    });

    it('pays large amounts exactly, and refuses what leaves the safe integers', () => {
      expect(payFor(60, usd(MAX))).toEqual(usd(MAX));
      expect(() => payFor(61, usd(MAX))).toThrow(MoneyError);
    });

    it('refuses a pay rate that is not whole minor units', () => {
      expect(() => payFor(60, usd(12.5))).toThrow(MoneyError);
    });

    it('leaves the pay rate as it was', () => {
      const rate = usd(1200);
      payFor(60, rate);
      expect(rate).toEqual(usd(1200));
    });
  });

  describe('marginOf', () => {
    it('is revenue less cost in their one currency', () => {
      expect(marginOf(usd(5000), usd(1940))).toEqual(usd(3060));
      expect(marginOf({ amountMinor: 100, currency: 'EUR' }, { amountMinor: 100, currency: 'EUR' })).toEqual({ amountMinor: 0, currency: 'EUR' });
    });

    it('is negative when cost exceeds revenue, and works with negative amounts (credit notes, adjustments)', () => {
      expect(marginOf(usd(1000), usd(1500))).toEqual(usd(-500));
      expect(marginOf(usd(-200), usd(-300))).toEqual(usd(100));
      expect(marginOf(usd(0), usd(0))).toEqual(usd(0));
    });

    it('is exact for large amounts', () => {
      expect(marginOf(usd(MAX), usd(1))).toEqual(usd(MAX - 1));
      expect(marginOf(usd(MAX), usd(MAX))).toEqual(usd(0));
    });

    it('is none when the currencies differ: a mix is never converted', () => {
      expect(marginOf(usd(5000), { amountMinor: 1940, currency: 'EUR' })).toBeNull();
    });

    it('is none for what is not an ISO 4217 code, even when both sides say it', () => {
      for (const currency of ['usd', 'US', 'USDT', '', 'U$D']) {
        expect(marginOf({ amountMinor: 5000, currency }, { amountMinor: 1940, currency })).toBeNull();
      }
    });
  });
});
