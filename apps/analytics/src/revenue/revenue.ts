import { marginOf, type Money } from '@vaops/contracts';
import type { ApprovedEntryDoc } from '../facts/time.projection';
import type { InvoiceDoc } from '../facts/invoices.projection';
import { MoneyByCurrency, payFor, ratio } from '../shared/figures';

export interface RevenueView {
  clientId: string;
  period: string;
  currency: string;
  revenue: Money | null;
  cost: Money | null;
  margin: Money | null;
  /** margin / revenue × 100, 2 decimals; null without revenue or margin. */
  marginPercent: number | null;
}

/** Revenue: the client's invoices of the period that are not void (draft, issued, paid), less their credit notes. */
export function revenueOf(invoices: Pick<InvoiceDoc, 'status' | 'total' | 'creditedMinor'>[]): MoneyByCurrency {
  const sum = new MoneyByCurrency();
  for (const inv of invoices) if (inv.status !== 'void') sum.add({ amountMinor: inv.total.amountMinor - inv.creditedMinor, currency: inv.total.currency });
  return sum;
}

/**
 * Cost, billing's margin rule: per month of the period and assistant, the client's approved billable
 * minutes of that month × the assistant's pay rate, rounded once (rule 1); summed per currency.
 * An assistant whose pay rate is unknown costs nothing (billing skips it too).
 */
export function costOf(approved: Pick<ApprovedEntryDoc, 'month' | 'assistantId' | 'billedMinutes' | 'billable'>[], payRates: ReadonlyMap<string, Money>): MoneyByCurrency {
  const minutes = new Map<string, number>();
  for (const r of approved) {
    if (!r.billable) continue;
    const key = `${r.month}|${r.assistantId}`;
    minutes.set(key, (minutes.get(key) ?? 0) + r.billedMinutes);
  }
  const sum = new MoneyByCurrency();
  for (const [key, m] of [...minutes].sort(([a], [b]) => a.localeCompare(b))) {
    const rate = payRates.get(key.split('|')[1]);
    if (rate) sum.add(payFor(m, rate));
  }
  return sum;
}

export function revenueView(
  clientId: string,
  period: string,
  currency: string,
  invoices: Pick<InvoiceDoc, 'status' | 'total' | 'creditedMinor'>[],
  approved: Pick<ApprovedEntryDoc, 'month' | 'assistantId' | 'billedMinutes' | 'billable'>[],
  payRates: ReadonlyMap<string, Money>,
): RevenueView {
  const revenue = revenueOf(invoices).single(currency);
  const cost = costOf(approved, payRates).single(currency);
  // different currencies are never netted: no margin then
  const margin = revenue && cost ? marginOf(revenue, cost) : null;
  const marginPercent = margin && revenue ? ratio(margin.amountMinor * 100, revenue.amountMinor, 2) : null;
  return { clientId, period, currency, revenue, cost, margin, marginPercent };
}
