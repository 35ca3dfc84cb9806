import { Injectable } from '@nestjs/common';
import { streamIndex, type Principal, type StreamIndexDoc } from '@vaops/platform';
import { InvoicingErrors } from './invoicing.errors';

export const invoiceNotFound = (id: string) => InvoicingErrors.notFound(`invoice ${id} not found`);

/** Which stream an invoice id lives in, written (idempotently) after its draft is appended. */
const INVOICE_INDEX = 'bl_invoice_index';

export interface InvoiceIndexDoc extends StreamIndexDoc {
  clientId: string;
  streamId: string;
}

/** The invoice index: written by the billing run (not a projection). */
@Injectable()
export class InvoiceIndex extends streamIndex<InvoiceIndexDoc>(INVOICE_INDEX) {
  /** Idempotent: a billing run decided again (after a crash) writes the same entry. */
  async record(invoiceId: string, entry: Omit<InvoiceIndexDoc, '_id'>): Promise<void> {
    await this.collection.updateOne({ _id: invoiceId }, { $set: { agencyId: entry.agencyId, clientId: entry.clientId, streamId: entry.streamId } }, { upsert: true });
  }

  /** Which stream holds the invoice, if the caller may see it; else 404. */
  visibleTo(id: string, p: Principal): Promise<InvoiceIndexDoc> {
    return this.visibleEntry(id, p, (index) => (p.role === 'client' ? index.clientId === p.clientId : p.role !== 'assistant'), () => invoiceNotFound(id));
  }
}
