import type { PlanV1 } from '@vaops/contracts';
import { activeDays, billEngagement, invoiceTotal, payoutAmount, planForPeriod, rolledOverMinutes, type EngagementTerms } from './calculation';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const hourly: PlanV1 = { type: 'hourly', rate: usd(2500) };
const retainer = (rollover: boolean): PlanV1 => ({ type: 'retainer', monthlyFee: usd(200000), includedHours: 40, overageRate: usd(3000), rollover });
const terms = (plan: PlanV1, over: Partial<EngagementTerms> = {}): EngagementTerms => ({
  engagementId: 'e-1',
  assistantId: 'a-1',
  startsOn: '2025-01-01',
  endsOn: null,
  plans: [{ effectiveOn: '2025-01-01', plan }],
  ...over,
});
const usage = (billedMinutes: number, previousMonthMinutes = 0) => ({ billedMinutes, previousMonthMinutes, late: [] });

describe('invoice calculation', () => {
  it('hourly: billed hours × rate, rounded once per line', () => {
    // 10h30 at 25.00 = 262.50
    expect(billEngagement(terms(hourly), '2026-03', usage(630), 'USD').lines[0].amount).toEqual(usd(26250));
    // 7 min at 19.99 = 2.33
    expect(billEngagement(terms({ type: 'hourly', rate: usd(1999) }), '2026-03', usage(7), 'USD').lines[0].amount).toEqual(usd(233));
  });

  it('retainer: fee only within the included hours, fee + overage above', () => {
    expect(billEngagement(terms(retainer(false)), '2026-03', usage(30 * 60), 'USD').lines[0].amount).toEqual(usd(200000));
    // 45h used of 40h: 5h overage at 30.00 = 150.00
    expect(billEngagement(terms(retainer(false)), '2026-03', usage(45 * 60), 'USD').lines[0].amount).toEqual(usd(215000));
  });

  it('retainer with rollover: unused hours of last month reduce the overage, capped at one month', () => {
    // February used 30h of 40h: 10h roll over; March 45h: 5h over, all covered → fee only
    expect(rolledOverMinutes(terms(retainer(true)), '2026-03', 30 * 60)).toBe(600);
    expect(billEngagement(terms(retainer(true)), '2026-03', usage(45 * 60, 30 * 60), 'USD').lines[0].amount).toEqual(usd(200000));
    // March 55h with 10h rolled: 5h overage = 150.00
    expect(billEngagement(terms(retainer(true)), '2026-03', usage(55 * 60, 30 * 60), 'USD').lines[0].amount).toEqual(usd(215000));
    // no rollover on a plan without it
    expect(rolledOverMinutes(terms(retainer(false)), '2026-03', 0)).toBe(0);
    // never more than one month's included hours (40h), even when nothing was used
    expect(rolledOverMinutes(terms(retainer(true)), '2026-03', 0)).toBe(2400);
    // nothing rolls over from before the engagement began
    expect(rolledOverMinutes(terms(retainer(true), { startsOn: '2026-03-01' }), '2026-03', 0)).toBe(0);
  });

  it('prorates the fee and included hours by active days when starting or ending mid-month', () => {
    // starts 2026-03-22: 10 of 31 days → 2000.00 × 10/31 = 645.16; included 40h × 10/31 = 774.19 → 774 min
    const started = terms(retainer(false), { startsOn: '2026-03-22' });
    expect(activeDays(started, '2026-03')).toBe(10);
    expect(billEngagement(started, '2026-03', usage(0), 'USD').lines[0].amount).toEqual(usd(64516));
    // 800 min used: 26 min overage at 30.00 = 13.00
    expect(billEngagement(started, '2026-03', usage(800), 'USD').lines[0].amount).toEqual(usd(64516 + 1300));
    // ends 2026-04-15 (inclusive): 15 of 30 days = 1000.00
    const ended = terms(retainer(false), { endsOn: '2026-04-15' });
    expect(billEngagement(ended, '2026-04', usage(0), 'USD').lines[0].amount).toEqual(usd(100000));
    // nothing after the end
    expect(billEngagement(ended, '2026-05', usage(0), 'USD').lines).toEqual([]);
  });

  it('uses the plan in force on the last active day of the period', () => {
    const changed = terms(hourly, { plans: [{ effectiveOn: '2025-01-01', plan: hourly }, { effectiveOn: '2026-03-15', plan: { type: 'hourly', rate: usd(3000) } }] });
    expect(planForPeriod(changed, '2026-02')).toEqual(hourly);
    expect(billEngagement(changed, '2026-03', usage(60), 'USD').lines[0].amount).toEqual(usd(3000));
  });

  it('puts late-approved time of a closed period on the next invoice as a dated line', () => {
    const bill = billEngagement(terms(hourly), '2026-03', { billedMinutes: 60, previousMonthMinutes: 0, late: [{ month: '2026-02', billedMinutes: 90, approvedOn: '2026-03-03' }] }, 'USD');
    expect(bill.lines).toHaveLength(2);
    expect(bill.lines[1]).toMatchObject({ description: expect.stringContaining('Late-approved time for 2026-02 (approved 2026-03-03)'), amount: usd(3750) });
    expect(invoiceTotal(bill.lines, 'USD')).toEqual(usd(2500 + 3750));
  });

  it('refuses a plan in another currency than the client', () => {
    expect(() => billEngagement(terms(hourly), '2026-03', usage(60), 'EUR')).toThrow('differs');
  });

  it('computes a payout with the same rounding', () => {
    expect(payoutAmount(7, usd(1001))).toEqual(usd(117));
    expect(payoutAmount(600, usd(1500))).toEqual(usd(15000));
  });
});
