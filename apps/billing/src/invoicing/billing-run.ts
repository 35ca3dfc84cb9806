import { Injectable } from '@nestjs/common';
import { addDays, type InvoiceDraftedV1 } from '@vaops/contracts';
import { newId } from '@vaops/event-sourcing';
import type { Principal } from '@vaops/platform';
import { ApprovedTime, type ApprovedEntryDoc } from '../facts/approved-time.projection';
import { BillingFacts, type EngagementDoc } from '../facts/clients-facts.projection';
import { billEngagement, invoiceTotal, previousPeriod, type EngagementTerms, type EngagementUsage, type InvoiceLine } from './calculation';
import { invoiceStreamId } from './invoice';
import { InvoiceIndex } from './invoice-index';
import { Invoices, MANY_WRITERS } from './invoices';
import { InvoicesReadModel, type InvoiceDoc } from './invoices.projection';
import { Payouts } from '../payouts/payout-streams';
import { payouts } from '../payouts/payouts';
import { InvoicingErrors } from './invoicing.errors';

export interface RunResult {
  period: string;
  invoices: { id: string; clientId: string; drafted: boolean }[];
  failed: { clientId: string; code: string; detail: string }[];
  position: number;
}

const sum = (rows: ApprovedEntryDoc[]) => rows.reduce((s, r) => s + (r.billable ? r.billedMinutes : 0), 0);

/**
 * The usage of one engagement in a period, from approved time only. `earlierInvoices` are the
 * client's non-void invoices of earlier periods. Time of an earlier month that was invoiced, approved
 * after the latest of those invoices was drafted, was on no invoice yet: it goes on this one, as a
 * dated line per month. (A month that was never invoiced is billed by running its own period.)
 */
export function usageOf(engagementId: string, period: string, approved: ApprovedEntryDoc[], earlierInvoices: Pick<InvoiceDoc, 'period' | 'draftedAt'>[]): EngagementUsage {
  const prev = previousPeriod(period);
  const mine = approved.filter((a) => a.engagementId === engagementId);
  const invoiced = new Set(earlierInvoices.map((i) => i.period));
  const latest = [...earlierInvoices].sort((a, b) => a.period.localeCompare(b.period)).at(-1);
  const lateRows = latest ? mine.filter((a) => a.month < period && invoiced.has(a.month) && a.approvedAt > latest.draftedAt) : [];
  const late = [...new Set(lateRows.map((r) => r.month))]
    .sort()
    .map((month) => {
      const rows = lateRows.filter((r) => r.month === month);
      return { month, billedMinutes: sum(rows), approvedOn: rows.map((l) => l.approvedAt).sort().at(-1)!.slice(0, 10) };
    })
    .filter((l) => l.billedMinutes !== 0);
  return {
    billedMinutes: sum(mine.filter((a) => a.month === period)),
    previousMonthMinutes: sum(mine.filter((a) => a.month === prev)),
    late,
  };
}

/**
 * The terms an engagement is billed on. The clients service's end date (`EngagementEnded.endedOn`, the
 * notice's `endsOn`) is the first day the engagement is no longer in force: its status is `ended` from that
 * day on, and time-tracking and scheduling take no time nor appointment on it. Proration counts active days,
 * so the last one billed is the day before.
 */
export function termsOf(e: Pick<EngagementDoc, '_id' | 'assistantId' | 'startsOn' | 'endsOn' | 'plans'> & Partial<Pick<EngagementDoc, 'handoverOn'>>): EngagementTerms {
  const lastActiveDay = e.endsOn === null ? null : addDays(e.endsOn, -1);
  // handed over: from handoverOn the replacement's engagement carries the plan's fee (documents from before
  // the field was kept have none: no handover)
  const handedOver = e.handoverOn ? addDays(e.handoverOn, -1) : null;
  const feeEndsOn = handedOver !== null && (lastActiveDay === null || handedOver < lastActiveDay) ? handedOver : lastActiveDay;
  return { engagementId: e._id, assistantId: e.assistantId, startsOn: e.startsOn, endsOn: lastActiveDay, feeEndsOn, handoverOn: e.handoverOn ?? null, plans: e.plans };
}

/** A billing run: what it reads (facts, approved time, earlier invoices) and the streams it decides on. */
@Injectable()
export class BillingRun {
  constructor(
    private readonly facts: BillingFacts,
    private readonly approvedTime: ApprovedTime,
    private readonly invoiceViews: InvoicesReadModel,
    private readonly invoiceIndex: InvoiceIndex,
    private readonly invoices: Invoices,
    private readonly payouts: Payouts,
  ) {}

  /**
   * Drafts one invoice per client of the agency for the period, a line per engagement. Each invoice is
   * decided on its own stream (agency+client+period), so a re-run or a parallel run never drafts twice.
   */
  async run(period: string, p: Principal): Promise<RunResult> {
    const [clients, engagements, approved, earlierInvoices] = await Promise.all([
      this.facts.clientsOf(p.agencyId),
      this.facts.engagementsOf(p.agencyId),
      this.approvedTime.upTo(p.agencyId, period),
      this.invoiceViews.before(p.agencyId, period),
    ]);
    const result: RunResult = { period, invoices: [], failed: [], position: 0 };
    for (const client of clients.sort((a, b) => a._id.localeCompare(b._id))) {
      const earlier = earlierInvoices.filter((i) => i.clientId === client._id && i.status !== 'void');
      const lines: InvoiceLine[] = [];
      try {
        for (const e of engagements.filter((x) => x.clientId === client._id && x.plans?.length).sort((a, b) => a._id.localeCompare(b._id))) {
          const bill = billEngagement(termsOf(e), period, usageOf(e._id, period, approved, earlier), client.currency);
          lines.push(...bill.lines);
        }
      } catch (err) {
        result.failed.push({ clientId: client._id, code: InvoicingErrors.calculationFailed.code, detail: err instanceof Error ? err.message : String(err) });
        continue;
      }
      if (lines.length === 0) continue;
      const streamId = invoiceStreamId(p.agencyId, client._id, period);
      const draft: InvoiceDraftedV1 = { invoiceId: newId(), clientId: client._id, period, currency: client.currency, lines, total: invoiceTotal(lines, client.currency) };
      const r = await this.invoices.execute(streamId, { type: 'Draft', data: draft }, p, { retries: MANY_WRITERS });
      const id = r.state.invoice!.invoiceId;
      await this.invoiceIndex.record(id, { agencyId: p.agencyId, clientId: client._id, streamId });
      // drafted by this request: now, or by its first attempt when it is decided again after a crash (same ids)
      result.invoices.push({ id, clientId: client._id, drafted: id === draft.invoiceId });
      result.position = Math.max(result.position, r.lastPosition);
    }
    // Each assistant's payout for the period, on its own stream (published as PayoutComputed).
    for (const payout of await payouts({ approvedTime: this.approvedTime, facts: this.facts }, p.agencyId, period)) {
      const r = await this.payouts.execute({ agencyId: p.agencyId, assistantId: payout.assistantId, period }, { type: 'ComputePayout', data: payout }, p, { retries: MANY_WRITERS });
      result.position = Math.max(result.position, r.lastPosition);
    }
    return result;
  }
}
