import { Topics, type CreditNoteIssuedV1, type InvoiceDraftedV1, type InvoiceIssuedV1, type Money } from '@vaops/contracts';
import { applyIfNewer, type ProjectionDefinition } from '@vaops/projections';
import type { InvoiceLineV1 } from '@vaops/contracts';
import type { InvoiceStatus } from './invoice';

/** The invoices of the billing service itself, from its own topic: for lists and margins. */
export const INVOICES_PROJECTION = 'billing.invoices';
export const INVOICES = 'bl_invoices';

export interface InvoiceDoc {
  _id: string;
  /** Version of the invoice stream last applied: the invoice's version. */
  _v: number;
  agencyId: string;
  clientId: string;
  period: string;
  status: InvoiceStatus;
  number: string | null;
  currency: string;
  lines: InvoiceLineV1[];
  total: Money;
  creditedMinor: number;
  draftedAt: string;
}

export const invoicesProjection = (topicPrefix = ''): ProjectionDefinition => ({
  name: INVOICES_PROJECTION,
  topics: [`${topicPrefix}${Topics.billing}`],
  collections: { [INVOICES]: { indexes: [{ key: { agencyId: 1, period: 1 } }, { key: { agencyId: 1, clientId: 1 } }] } },
  handlers: {
    InvoiceDrafted: async (e, store) => {
      const d = e.data as InvoiceDraftedV1;
      await applyIfNewer(store.collection(INVOICES), d.invoiceId, e.version, {
        $set: { agencyId: e.metadata.agencyId, clientId: d.clientId, period: d.period, status: 'draft', number: null, currency: d.currency, lines: d.lines, total: d.total, creditedMinor: 0, draftedAt: e.metadata.occurredAt },
      });
    },
    InvoiceIssued: async (e, store) => {
      const d = e.data as InvoiceIssuedV1;
      await applyIfNewer(store.collection(INVOICES), d.invoiceId, e.version, { $set: { status: 'issued', number: d.number } });
    },
    InvoicePaid: async (e, store) => {
      await applyIfNewer(store.collection(INVOICES), (e.data as { invoiceId: string }).invoiceId, e.version, { $set: { status: 'paid' } });
    },
    InvoiceVoided: async (e, store) => {
      await applyIfNewer(store.collection(INVOICES), (e.data as { invoiceId: string }).invoiceId, e.version, { $set: { status: 'void' } });
    },
    CreditNoteIssued: async (e, store) => {
      const d = e.data as CreditNoteIssuedV1;
      // applied once per stream version, so the increment never repeats
      await applyIfNewer(store.collection(INVOICES), d.invoiceId, e.version, { $inc: { creditedMinor: d.amount.amountMinor } });
    },
  },
});
