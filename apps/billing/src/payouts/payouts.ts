import type { Money } from '@vaops/contracts';
import { APPROVED, type ApprovedEntryDoc } from '../facts/approved-time.projection';
import { ASSISTANTS, type AssistantDoc } from '../facts/clients-facts.projection';
import { payoutAmount } from '../invoicing/calculation';
import type { Runtime } from '../runtime';

export interface Payout {
  assistantId: string;
  period: string;
  billedMinutes: number;
  amount: Money;
}

/** Approved billable minutes × pay rate per assistant, rounded once. */
export async function payouts(runtime: Runtime, agencyId: string, period: string, assistantId?: string): Promise<Payout[]> {
  const filter: Record<string, unknown> = { agencyId, month: period };
  if (assistantId) filter.assistantId = assistantId;
  const rows = await runtime.db.collection<ApprovedEntryDoc>(APPROVED).find(filter).toArray();
  const minutes = new Map<string, number>();
  for (const r of rows) if (r.billable) minutes.set(r.assistantId, (minutes.get(r.assistantId) ?? 0) + r.billedMinutes);
  const out: Payout[] = [];
  for (const [id, billedMinutes] of [...minutes.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const a = await runtime.db.collection<AssistantDoc>(ASSISTANTS).findOne({ _id: id });
    if (!a) continue;
    out.push({ assistantId: id, period, billedMinutes, amount: payoutAmount(billedMinutes, a.payRate) });
  }
  return out;
}

