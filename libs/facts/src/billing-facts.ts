import { Controller, type Type } from '@nestjs/common';
import type { InvoiceLineV1, Money, PublicEvent } from '@vaops/contracts';
import { ProjectionHandler, type ProjectionSpec } from '@vaops/platform';
import { applyIfNewer, type ReadModelStore } from '@vaops/projections';

/**
 * What a read model learns from the billing and time-tracking topics about invoices and approved time,
 * written once for every service that keeps such a read model (billing's own lists, analytics): each
 * rule is the update one event makes to one document, to apply with `applyIfNewer` at the event's
 * version (so a redelivered event changes nothing and a rebuild equals the live read model).
 */

/** An invoice's status as its read models keep it. */
export type InvoiceStatus = 'draft' | 'issued' | 'paid' | 'void';

/** An invoice's document in every invoices read model (`_id`: the invoice), as `invoiceDrafted` and `invoiceChanges` write it. */
export interface InvoiceDoc {
  _id: string;
  /** Version of the invoice stream last applied: the invoice's version. */
  _v: number;
  agencyId: string;
  clientId: string;
  /** YYYY-MM */
  period: string;
  status: InvoiceStatus;
  currency: string;
  lines: InvoiceLineV1[];
  total: Money;
  creditedMinor: number;
}

/** The invoice's document as drafted: what it bills, in draft, nothing credited yet. */
export const invoiceDrafted = (e: PublicEvent<'InvoiceDrafted'>): Omit<InvoiceDoc, '_id' | '_v'> => ({
  agencyId: e.metadata.agencyId,
  clientId: e.data.clientId,
  period: e.data.period,
  status: 'draft',
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

/**
 * The handlers of an invoice's payment, void and credit notes for the invoices read model of `spec`
 * (its collection `collection`): the same in every service that keeps one. The service's own class of
 * that projection handles the draft and the issue (what each keeps of them differs); both classes are
 * controllers of its handler module, and the transport joins them into one projection.
 */
export function invoiceLifecycleHandlers(spec: ProjectionSpec, collection: string): Type<unknown> {
  @Controller()
  class InvoiceLifecycleHandlers {
    @ProjectionHandler(spec, 'InvoicePaid')
    async onInvoicePaid(e: PublicEvent<'InvoicePaid'>, store: ReadModelStore): Promise<void> {
      await applyIfNewer(store.collection(collection), e.data.invoiceId, e.version, invoiceChanges.InvoicePaid());
    }

    @ProjectionHandler(spec, 'InvoiceVoided')
    async onInvoiceVoided(e: PublicEvent<'InvoiceVoided'>, store: ReadModelStore): Promise<void> {
      await applyIfNewer(store.collection(collection), e.data.invoiceId, e.version, invoiceChanges.InvoiceVoided());
    }

    @ProjectionHandler(spec, 'CreditNoteIssued')
    async onCreditNoteIssued(e: PublicEvent<'CreditNoteIssued'>, store: ReadModelStore): Promise<void> {
      await applyIfNewer(store.collection(collection), e.data.invoiceId, e.version, invoiceChanges.CreditNoteIssued(e));
    }
  }
  Object.defineProperty(InvoiceLifecycleHandlers, 'name', { value: `InvoiceLifecycleHandlers(${spec.name})` });
  return InvoiceLifecycleHandlers;
}

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
