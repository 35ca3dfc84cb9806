import type { Money } from '@vaops/contracts';
import type { ApprovedEntryDoc } from '../facts/time.projection';
import { MoneyByCurrency, payFor, ratio } from '../shared/figures';

export interface ConcentrationView {
  assistantId: string;
  period: string;
  totalBilledMinutes: number;
  income: Money;
  clients: { clientId: string; billedMinutes: number; share: number }[];
  largestClientShare: number;
}

/**
 * How much of an assistant's approved billable time (and so income) comes from each client. Income is
 * billing's payout: per month, the month's minutes × the pay rate, rounded once; a year sums its months.
 */
export function concentrationOf(
  assistantId: string,
  period: string,
  payRate: Money,
  approved: Pick<ApprovedEntryDoc, 'clientId' | 'month' | 'billedMinutes' | 'billable'>[],
): ConcentrationView {
  const byClient = new Map<string, number>();
  const byMonth = new Map<string, number>();
  for (const r of approved) {
    if (!r.billable) continue;
    byClient.set(r.clientId, (byClient.get(r.clientId) ?? 0) + r.billedMinutes);
    byMonth.set(r.month, (byMonth.get(r.month) ?? 0) + r.billedMinutes);
  }
  const totalBilledMinutes = [...byClient.values()].reduce((a, b) => a + b, 0);
  const income = new MoneyByCurrency();
  for (const m of [...byMonth.values()]) income.add(payFor(m, payRate));
  const clients = [...byClient]
    .filter(([, m]) => m !== 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([clientId, billedMinutes]) => ({ clientId, billedMinutes, share: totalBilledMinutes > 0 ? ratio(billedMinutes, totalBilledMinutes)! : 0 }));
  return {
    assistantId,
    period,
    totalBilledMinutes,
    income: income.single(payRate.currency)!,
    clients,
    largestClientShare: clients.length > 0 ? Math.max(...clients.map((c) => c.share)) : 0,
  };
}
