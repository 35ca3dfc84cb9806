import type { PublicEvent } from '@vaops/contracts';

/**
 * What a read model learns from the billing and time-tracking topics about invoices and approved time,
 * written once for every service that keeps such a read model (billing's own lists, analytics): each
 * rule is the update one event makes to one document, to apply with `applyIfNewer` at the event's
 * version (so a redelivered event changes nothing and a rebuild equals the live read model).
 */

/** The invoice's document as drafted: what it bills, in draft, nothing credited yet. */
export const invoiceDrafted = (e: PublicEvent<'InvoiceDrafted'>) => ({
  agencyId: e.metadata.agencyId,
  clientId: e.data.clientId,
  period: e.data.period,
  status: 'draft' as const,
  currency: e.data.currency,
  lines: e.data.lines,
  total: e.data.total,
  creditedMinor: 0,
});

/** How each later event of an invoice's stream changes its document (billing also keeps the number issued). */
export const invoiceChanges = {
  InvoiceIssued: () => ({ $set: { status: 'issued' as const } }),
  InvoicePaid: () => ({ $set: { status: 'paid' as const } }),
  InvoiceVoided: () => ({ $set: { status: 'void' as const } }),
  // applied once per stream version, so the increment never repeats
  CreditNoteIssued: (e: PublicEvent<'CreditNoteIssued'>) => ({ $inc: { creditedMinor: e.data.amount.amountMinor } }),
};

/** One document per approved entry (`_id`: the entry), an adjusting entry its own with signed minutes: what is billed and paid. */
export const approvedEntries = (e: PublicEvent<'TimesheetApproved'>) =>
  e.data.entries.map((x) => ({
    entryId: x.entryId,
    $set: {
      agencyId: e.metadata.agencyId,
      assistantId: e.data.assistantId,
      clientId: e.data.clientId,
      engagementId: e.data.engagementId,
      month: x.month,
      billedMinutes: x.billable ? x.billedMinutes : 0,
      billable: x.billable,
    },
    /** The entry an adjusting entry adjusts (null for an ordinary one), for a read model that keeps it. */
    adjusts: x.adjusts,
  }));
