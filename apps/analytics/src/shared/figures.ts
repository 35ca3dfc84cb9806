import { divRoundHalfUp, toSafeMinor, type Money } from '@vaops/contracts';

/**
 * Integer arithmetic for every figure: money in minor units, ratios rounded once, never a float on the
 * way. `minutesTimesRate` is billing's rule 1 (docs/billing.md), the very function billing uses (from
 * libs/contracts), so analytics and billing agree to the cent (proven in apps/analytics-e2e).
 */

// billing's rule 1 lives in libs/contracts (money.ts), one implementation for both services
export { divRoundHalfUp, minutesTimesRate } from '@vaops/contracts';

// what billing pays an assistant (its payout) is analytics' income: one rule, in libs/contracts
export { payFor } from '@vaops/contracts';

/**
 * part / whole rounded half up to `decimals` places (4: 0.3333), computed on integers so 1/3 and
 * 2/3 never carry float noise; null when whole is 0 (no capacity, no revenue: no ratio).
 */
export function ratio(part: number, whole: number, decimals = 4): number | null {
  if (whole === 0) return null;
  const scale = 10n ** BigInt(decimals);
  const sign = whole < 0 ? -1n : 1n;
  const q = divRoundHalfUp(BigInt(part) * scale * sign, BigInt(whole) * sign);
  return Number(q) / Number(scale);
}

/** Amounts grouped by currency: amounts of different currencies are never added or converted. */
export class MoneyByCurrency {
  private readonly totals = new Map<string, bigint>();

  add(m: Money): this {
    this.totals.set(m.currency, (this.totals.get(m.currency) ?? 0n) + BigInt(m.amountMinor));
    return this;
  }

  currencies(): string[] {
    return [...this.totals.keys()].sort();
  }

  /** The total when every amount was in one currency (or none: 0 in `fallback`), else null. */
  single(fallback: string): Money | null {
    const cs = this.currencies();
    if (cs.length === 0) return { amountMinor: 0, currency: fallback };
    if (cs.length > 1) return null;
    return { amountMinor: toSafeMinor(this.totals.get(cs[0])!), currency: cs[0] };
  }
}
