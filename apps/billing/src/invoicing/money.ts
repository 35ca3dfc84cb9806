import { MoneyError, assertMinor, divRoundHalfUp, toSafeMinor as toSafe, type Money } from '@vaops/contracts';

/**
 * Money on the billing path: integer minor units only, never a float. Every product of a duration and a
 * rate is computed on BigInt and rounded ONCE, half away from zero, at the documented place (docs/billing.md).
 */
export { MoneyError, divRoundHalfUp, minutesTimesRate } from '@vaops/contracts';

/** amount × part / whole, rounded half up once (proration of a fee by days). */
export function prorate(amountMinor: number, part: number, whole: number): number {
  assertMinor(amountMinor, 'amount');
  assertMinor(part, 'part');
  assertMinor(whole, 'whole');
  if (part >= whole) return amountMinor;
  return toSafe(divRoundHalfUp(BigInt(amountMinor) * BigInt(part), BigInt(whole)));
}

export const money = (amountMinor: number, currency: string): Money => {
  assertMinor(amountMinor, 'amountMinor');
  return { amountMinor, currency };
};

/** Sum of amounts of ONE currency (a mix is a bug upstream, never silently converted). */
export function sumMoney(amounts: Money[], currency: string): Money {
  let total = 0n;
  for (const a of amounts) {
    if (a.currency !== currency) throw new MoneyError(`cannot add ${a.currency} to ${currency}`);
    assertMinor(a.amountMinor, 'amountMinor');
    total += BigInt(a.amountMinor);
  }
  return money(toSafe(total), currency);
}

/** 12345 USD → "123.45 USD" (two-decimal currencies; for display only, never parsed back). */
export function formatMoney(m: Money): string {
  const neg = m.amountMinor < 0;
  const abs = Math.abs(m.amountMinor);
  const major = Math.trunc(abs / 100);
  const minor = String(abs % 100).padStart(2, '0');
  return `${neg ? '-' : ''}${major.toLocaleString('en-US')}.${minor} ${m.currency}`;
}
