import { Topics, type CreditNoteIssuedV1, type InvoiceDraftedV1, type InvoiceLineV1, type Money } from '@vaops/contracts';
import { applyIfNewer, type ProjectionDefinition } from '@vaops/projections';

/**
 * Invoices, from the billing topic (stream `invoice-<agencyId>-<clientId>-<period>`, one invoice each):
 * status, total and what credit notes took off it. Payout computations are not read: cost is computed
 * from approved time the way billing computes it.
 */
export const INVOICES_PROJECTION = 'analytics.invoices';
export const INVOICES = 'an_invoices';

export type InvoiceStatus = 'draft' | 'issued' | 'paid' | 'void';

export interface InvoiceDoc {
  _id: string;
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

const invoiceId = (data: unknown): string => (data as { invoiceId: string }).invoiceId;

export const invoicesProjection = (topicPrefix = ''): ProjectionDefinition => ({
  name: INVOICES_PROJECTION,
  topics: [`${topicPrefix}${Topics.billing}`],
  collections: { [INVOICES]: { indexes: [{ key: { agencyId: 1, clientId: 1, period: 1 } }] } },
  handlers: {
    InvoiceDrafted: async (e, store) => {
      const d = e.data as InvoiceDraftedV1;
      await applyIfNewer(store.collection(INVOICES), d.invoiceId, e.version, {
        $set: { agencyId: e.metadata.agencyId, clientId: d.clientId, period: d.period, status: 'draft', currency: d.currency, lines: d.lines, total: d.total, creditedMinor: 0 },
      });
    },
    InvoiceIssued: async (e, store) => {
      await applyIfNewer(store.collection(INVOICES), invoiceId(e.data), e.version, { $set: { status: 'issued' } });
    },
    InvoicePaid: async (e, store) => {
      await applyIfNewer(store.collection(INVOICES), invoiceId(e.data), e.version, { $set: { status: 'paid' } });
    },
    InvoiceVoided: async (e, store) => {
      await applyIfNewer(store.collection(INVOICES), invoiceId(e.data), e.version, { $set: { status: 'void' } });
    },
    CreditNoteIssued: async (e, store) => {
      const d = e.data as CreditNoteIssuedV1;
      // applied once per stream version, so the increment never repeats
      await applyIfNewer(store.collection(INVOICES), d.invoiceId, e.version, { $inc: { creditedMinor: d.amount.amountMinor } });
    },
  },
});
