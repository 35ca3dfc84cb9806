import type { Money } from '@vaops/contracts';
import type { ApprovedTime } from '../facts/approved-time.projection';
import type { BillingFacts } from '../facts/clients-facts.projection';
import { payoutAmount } from '../invoicing/calculation';

export interface Payout {
  assistantId: string;
  period: string;
  billedMinutes: number;
  amount: Money;
}

/** Approved billable minutes × pay rate per assistant, rounded once. */
export async function payouts(reads: { approvedTime: ApprovedTime; facts: BillingFacts }, agencyId: string, period: string, assistantId?: string): Promise<Payout[]> {
  const rows = await reads.approvedTime.ofMonth(agencyId, period, assistantId);
  const minutes = new Map<string, number>();
  for (const r of rows) if (r.billable) minutes.set(r.assistantId, (minutes.get(r.assistantId) ?? 0) + r.billedMinutes);
  const out: Payout[] = [];
  for (const [id, billedMinutes] of [...minutes.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const a = await reads.facts.assistant(id);
    if (!a) continue;
    out.push({ assistantId: id, period, billedMinutes, amount: payoutAmount(billedMinutes, a.payRate) });
  }
  return out;
}

