/** Money is integer minor units (cents) with an ISO 4217 currency, never a float. */
export interface Money {
  /** @asType integer */
  amountMinor: number;
  /** @pattern ^[A-Z]{3}$ */
  currency: string;
}

/** An amount that is not a safe integer of minor units, or arithmetic that would leave them. */
export class MoneyError extends RangeError {}

/** numerator / denominator (denominator > 0) rounded half away from zero, in integers. */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new MoneyError('denominator must be positive');
  const sign = numerator < 0n ? -1n : 1n;
  const abs = numerator * sign;
  return ((2n * abs + denominator) / (2n * denominator)) * sign;
}

/** A BigInt result back to a safe integer number of minor units. */
export function toSafeMinor(b: bigint): number {
  const n = Number(b);
  if (!Number.isSafeInteger(n)) throw new MoneyError(`amount ${b} is out of range`);
  return n;
}

export function assertMinor(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new MoneyError(`${what} must be an integer number of minor units, got ${n}`);
}

/**
 * THE rounding step for hours × rate (docs/billing.md rule 1), shared by billing and analytics so their
 * figures agree to the cent: billedMinutes × rateMinorPerHour / 60, rounded half up once per line.
 * Negative minutes (adjustments) round symmetrically: -7 min at 1999/h is -233.
 */
export function minutesTimesRate(billedMinutes: number, rateMinorPerHour: number): number {
  assertMinor(billedMinutes, 'billedMinutes');
  assertMinor(rateMinorPerHour, 'rate');
  return toSafeMinor(divRoundHalfUp(BigInt(billedMinutes) * BigInt(rateMinorPerHour), 60n));
}

/** What an assistant is paid for `billedMinutes` at `payRate` (billing's payout; analytics' income): rule 1 once. */
export const payFor = (billedMinutes: number, payRate: Money): Money => ({ amountMinor: minutesTimesRate(billedMinutes, payRate.amountMinor), currency: payRate.currency });

/** Revenue less cost, when both are in one currency (a mix is never converted: no margin). */
export const marginOf = (revenue: Money, cost: Money): Money | null =>
  revenue.currency === cost.currency && /^[A-Z]{3}$/.test(revenue.currency) ? { amountMinor: revenue.amountMinor - cost.amountMinor, currency: revenue.currency } : null;
