import { DUTY_CATEGORIES, isCategoryAllowedAt, isCategoryAllowedInPhase, phaseAt } from './duty-catalog';

describe('duty catalog', () => {
  it('has the stable ids of API.md with their lowest phase', () => {
    const byPhase = (p: number) => DUTY_CATEGORIES.filter((c) => c.minPhase === p).map((c) => c.id);
    expect(byPhase(1)).toEqual(['mailing-lists', 'supplies', 'mailings', 'data-entry']);
    expect(byPhase(2)).toEqual(['confirming-appointments', 'screening', 'ad-copy', 'social-media', 'bookkeeping', 'website']);
    expect(byPhase(3)).toEqual(['calendar-management', 'sales-pipeline', 'booking-appointments', 'decisions']);
  });

  it('allows a category from its phase upwards, everything without a phase, nothing unknown', () => {
    expect(isCategoryAllowedInPhase(1, 'data-entry')).toBe(true);
    expect(isCategoryAllowedInPhase(1, 'screening')).toBe(false);
    expect(isCategoryAllowedInPhase(3, 'screening')).toBe(true);
    expect(isCategoryAllowedInPhase(null, 'decisions')).toBe(true);
    expect(isCategoryAllowedInPhase(null, 'juggling')).toBe(false);
  });

  describe('given an engagement promoted from phase I to III on March 10th', () => {
    const history = [
      { phase: 1 as const, from: '2026-03-01T00:00:00.000Z' },
      { phase: 3 as const, from: '2026-03-10T12:00:00.000Z' },
    ];
    it('answers by the phase in force at the time asked', () => {
      expect(phaseAt(history, '2026-02-28T23:59:59.000Z')).toBeUndefined();
      expect(phaseAt(history, '2026-03-10T11:59:59.000Z')).toBe(1);
      expect(isCategoryAllowedAt(history, 'decisions', '2026-03-10T11:59:59.000Z')).toBe(false);
      expect(isCategoryAllowedAt(history, 'decisions', '2026-03-10T12:00:00.000Z')).toBe(true);
      expect(isCategoryAllowedAt(history, 'data-entry', '2026-02-01T00:00:00.000Z')).toBe(false);
    });
  });
});
