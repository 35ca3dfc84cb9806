import type { Money, PlanV1 } from '@vaops/contracts';
import { DateTime } from 'luxon';
import { minutesTimesRate, money, prorate, sumMoney } from './money';

/**
 * The invoice calculation: pure, integer-only, every rule documented with worked examples in docs/billing.md.
 */

export interface PlanPeriod {
  /** YYYY-MM-DD from which the plan applies. */
  effectiveOn: string;
  plan: PlanV1;
}

export interface EngagementTerms {
  engagementId: string;
  assistantId: string;
  /** YYYY-MM-DD, first day of the engagement. */
  startsOn: string;
  /** YYYY-MM-DD, last day of the engagement (inclusive), or null while it runs. */
  endsOn: string | null;
  /**
   * YYYY-MM-DD, the last day (inclusive) a retainer's fee and included hours are prorated to: the day before
   * a handover (the replacement's engagement is billed from its first day, so no day is billed twice), else
   * `endsOn`. Absent: `endsOn`.
   */
  feeEndsOn?: string | null;
  /** YYYY-MM-DD, the replacement's first day when the engagement was handed over, else null. */
  handoverOn?: string | null;
  /** Plans in order of effectiveOn; the first one is the plan the engagement started with. */
  plans: PlanPeriod[];
}

export interface LateTime {
  /** YYYY-MM of the closed period the time belongs to. */
  month: string;
  billedMinutes: number;
  /** YYYY-MM-DD on which it was approved (after that period was invoiced). */
  approvedOn: string;
}

export interface EngagementUsage {
  /** Approved billed minutes of the period itself (adjustments included, signed). */
  billedMinutes: number;
  /** Approved billed minutes of the previous month (for the rollover of unused retainer hours). */
  previousMonthMinutes: number;
  /** Time of closed periods approved after they were invoiced: dated lines on this invoice. */
  late: LateTime[];
}

export interface InvoiceLine {
  engagementId: string;
  description: string;
  amount: Money;
  /** Billed minutes the line charges (0 for a flat fee). */
  billedMinutes: number;
}

export interface EngagementBill {
  lines: InvoiceLine[];
  billedMinutes: number;
}

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface PeriodDays {
  first: string;
  last: string;
  days: number;
}

export function periodDays(period: string): PeriodDays {
  const start = DateTime.fromISO(`${period}-01`, { zone: 'UTC' });
  const days = start.daysInMonth ?? 0;
  return { first: start.toISODate()!, last: start.endOf('month').toISODate()!, days };
}

const dayDiff = (a: string, b: string): number => Math.round(DateTime.fromISO(b, { zone: 'UTC' }).diff(DateTime.fromISO(a, { zone: 'UTC' }), 'days').days);

/** Days of the period on which the engagement is active (start and end inclusive); 0 when it is not. */
export function activeDays(terms: Pick<EngagementTerms, 'startsOn' | 'endsOn'>, period: string): number {
  const p = periodDays(period);
  const from = terms.startsOn > p.first ? terms.startsOn : p.first;
  const to = terms.endsOn !== null && terms.endsOn < p.last ? terms.endsOn : p.last;
  if (to < from) return 0;
  return dayDiff(from, to) + 1;
}

/** Days of the period a retainer's fee and included hours cover: active days up to `feeEndsOn`. */
export function feeDays(terms: Pick<EngagementTerms, 'startsOn' | 'endsOn' | 'feeEndsOn'>, period: string): number {
  return activeDays({ startsOn: terms.startsOn, endsOn: terms.feeEndsOn === undefined ? terms.endsOn : terms.feeEndsOn }, period);
}

/** The plan in force on a day: the last one whose effectiveOn is on or before it (else the first). */
export function planOn(plans: PlanPeriod[], day: string): PlanV1 {
  let current = plans[0].plan;
  for (const p of plans) if (p.effectiveOn <= day) current = p.plan;
  return current;
}

/** The plan that bills a period: the one in force on the last active day of the engagement in it. */
export function planForPeriod(terms: EngagementTerms, period: string): PlanV1 {
  const p = periodDays(period);
  const last = terms.endsOn !== null && terms.endsOn < p.last ? terms.endsOn : p.last;
  return planOn(terms.plans, last);
}

export const previousPeriod = (period: string): string => DateTime.fromISO(`${period}-01`, { zone: 'UTC' }).minus({ months: 1 }).toFormat('yyyy-MM');

const hours = (minutes: number): string => {
  const h = Math.trunc(minutes / 60);
  const m = Math.abs(minutes % 60);
  return `${minutes < 0 && h === 0 ? '-' : ''}${h}h${String(m).padStart(2, '0')}`;
};

/** Minutes of retainer hours rolled over from the previous month: unused included minutes, capped at one month's. */
export function rolledOverMinutes(terms: EngagementTerms, period: string, previousMonthMinutes: number): number {
  const prev = previousPeriod(period);
  if (feeDays(terms, prev) === 0 || feeDays(terms, period) === 0) return 0;
  const prevPlan = planForPeriod(terms, prev);
  const plan = planForPeriod(terms, period);
  if (plan.type !== 'retainer' || !plan.rollover || prevPlan.type !== 'retainer') return 0;
  const prevIncluded = includedMinutesFor(terms, prev, prevPlan.includedHours);
  const unused = Math.max(0, prevIncluded - previousMonthMinutes);
  return Math.min(unused, plan.includedHours * 60);
}

/** Included minutes of a (possibly partial) month: prorated by active days, rounded half up once. */
export function includedMinutesFor(terms: EngagementTerms, period: string, includedHours: number): number {
  return prorate(includedHours * 60, feeDays(terms, period), periodDays(period).days);
}

/** The lines of one engagement on a client's invoice for the period, in the client's currency. */
export function billEngagement(terms: EngagementTerms, period: string, usage: EngagementUsage, currency: string): EngagementBill {
  const lines: InvoiceLine[] = [];
  const days = feeDays(terms, period);
  const { days: monthDays } = periodDays(period);
  const plan = planForPeriod(terms, period);
  const rateOf = (m: Money) => {
    if (m.currency !== currency) throw new Error(`plan currency ${m.currency} differs from the client's ${currency}`);
    return m.amountMinor;
  };
  if (days > 0 || usage.billedMinutes !== 0) {
    if (plan.type === 'hourly') {
      lines.push({
        engagementId: terms.engagementId,
        description: `${period}: ${hours(usage.billedMinutes)} at ${rateOf(plan.rate)} per hour`,
        amount: money(minutesTimesRate(usage.billedMinutes, rateOf(plan.rate)), currency),
        billedMinutes: usage.billedMinutes,
      });
    } else {
      const fee = prorate(rateOf(plan.monthlyFee), days, monthDays);
      const included = includedMinutesFor(terms, period, plan.includedHours);
      const rolled = rolledOverMinutes(terms, period, usage.previousMonthMinutes);
      const overage = Math.max(0, usage.billedMinutes - included - rolled);
      const overageAmount = minutesTimesRate(overage, rateOf(plan.overageRate));
      const handedOver = terms.handoverOn && days < activeDays(terms, period) ? `, handed over on ${terms.handoverOn}` : '';
      const partial = days < monthDays ? ` (prorated ${days}/${monthDays} days${handedOver})` : '';
      const parts = [`${period}: retainer fee${partial}, ${hours(usage.billedMinutes)} used of ${hours(included)} included`];
      if (rolled > 0) parts.push(`${hours(rolled)} rolled over`);
      if (overage > 0) parts.push(`overage ${hours(overage)} at ${rateOf(plan.overageRate)} per hour`);
      lines.push({ engagementId: terms.engagementId, description: parts.join(', '), amount: money(fee + overageAmount, currency), billedMinutes: usage.billedMinutes });
    }
  }
  for (const late of usage.late) {
    const latePlan = planForPeriod(terms, late.month);
    // hourly: the rate of that month; retainer: the fee was billed, late time is charged at the overage rate
    const rate = latePlan.type === 'hourly' ? rateOf(latePlan.rate) : rateOf(latePlan.overageRate);
    lines.push({
      engagementId: terms.engagementId,
      description: `Late-approved time for ${late.month} (approved ${late.approvedOn}): ${hours(late.billedMinutes)} at ${rate} per hour`,
      amount: money(minutesTimesRate(late.billedMinutes, rate), currency),
      billedMinutes: late.billedMinutes,
    });
  }
  return { lines, billedMinutes: lines.reduce((s, l) => s + l.billedMinutes, 0) };
}

export const invoiceTotal = (lines: Pick<InvoiceLine, 'amount'>[], currency: string): Money => sumMoney(lines.map((l) => l.amount), currency);

/** An assistant's payout: approved billed minutes × pay rate, the same one rounding step (libs/contracts, shared with analytics). */
export { payFor as payoutAmount } from '@vaops/contracts';
