import { Injectable } from '@nestjs/common';
import { ownedCollection, type Principal } from '@vaops/platform';
import { InvoicingErrors } from './invoicing.errors';

export const invoiceNotFound = (id: string) => InvoicingErrors.notFound(`invoice ${id} not found`);

/** Which stream an invoice id lives in, written (idempotently) after its draft is appended. */
const INVOICE_INDEX = 'bl_invoice_index';

export interface InvoiceIndexDoc {
  _id: string;
  agencyId: string;
  clientId: string;
  streamId: string;
}

/**
 * The invoice index: written by the billing run (not a projection), so it is a port of its own, the one
 * owner of its collection.
 */
@Injectable()
export class InvoiceIndex extends ownedCollection<InvoiceIndexDoc>(INVOICE_INDEX) {
  /** At start: invoices by agency. */
  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ agencyId: 1 });
  }

  /** Idempotent: a billing run decided again (after a crash) writes the same entry. */
  async record(invoiceId: string, entry: Omit<InvoiceIndexDoc, '_id'>): Promise<void> {
    await this.collection.updateOne({ _id: invoiceId }, { $set: { agencyId: entry.agencyId, clientId: entry.clientId, streamId: entry.streamId } }, { upsert: true });
  }

  /** Which stream holds the invoice, if the caller may see it; else 404. */
  async visibleTo(id: string, p: Principal): Promise<InvoiceIndexDoc> {
    const index = await this.collection.findOne({ _id: id });
    if (!index || index.agencyId !== p.agencyId || (p.role === 'client' && index.clientId !== p.clientId) || p.role === 'assistant') throw invoiceNotFound(id);
    return index;
  }
}
