import { MoneyByCurrency, minutesTimesRate, payFor, ratio } from './figures';

describe('figures', () => {
  describe('minutes × rate (billing rule 1: half up, once)', () => {
    it.each([
      [7, 1999, 233], // 2.332166…
      [11, 150, 28], // 0.275: floats give 0.27
      [90, 2500, 3750],
      [-7, 1999, -233],
      [97, 1200, 1940],
    ])('%i min at %i/h = %i', (minutes, rate, expected) => {
      expect(minutesTimesRate(minutes, rate)).toBe(expected);
    });

    it('refuses fractions of a minor unit', () => {
      expect(() => minutesTimesRate(1.5, 100)).toThrow(RangeError);
    });

    it('pays in the currency of the rate', () => {
      expect(payFor(60, { amountMinor: 1500, currency: 'EUR' })).toEqual({ amountMinor: 1500, currency: 'EUR' });
    });
  });

  describe('ratio', () => {
    it('rounds half up to 4 decimals on integers', () => {
      expect(ratio(1, 3)).toBe(0.3333);
      expect(ratio(2, 3)).toBe(0.6667);
      expect(ratio(150, 2400)).toBe(0.0625);
      expect(ratio(1, 20000)).toBe(0.0001); // 0.00005 rounds up
      expect(ratio(2700, 2400)).toBe(1.125);
    });

    it('is null without a whole and symmetric for negatives', () => {
      expect(ratio(5, 0)).toBeNull();
      expect(ratio(-1, 3)).toBe(-0.3333);
      expect(ratio(1, -3)).toBe(-0.3333);
    });

    it('takes other precisions (percent with 2 decimals)', () => {
      expect(ratio(4527 * 100, 6467, 2)).toBe(70);
      expect(ratio(96191 * 100, 98441, 2)).toBe(97.71);
    });
  });

  describe('money by currency', () => {
    it('adds one currency and refuses to net two', () => {
      const m = new MoneyByCurrency().add({ amountMinor: 10, currency: 'USD' }).add({ amountMinor: 20, currency: 'USD' });
      expect(m.single('USD')).toEqual({ amountMinor: 30, currency: 'USD' });
      expect(m.add({ amountMinor: 1, currency: 'EUR' }).single('USD')).toBeNull();
      expect(new MoneyByCurrency().single('GBP')).toEqual({ amountMinor: 0, currency: 'GBP' });
    });
  });
});
