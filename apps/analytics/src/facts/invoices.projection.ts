import { Controller, Injectable } from '@nestjs/common';
import { Topics, type PublicEvent } from '@vaops/contracts';
import { ProjectionHandler, collectionOf, readModelFor, type ProjectionSpec } from '@vaops/platform';
import { invoiceChanges, invoiceDrafted, invoiceLifecycleHandlers, type InvoiceDoc } from '@vaops/facts';
import { applyIfNewer, type ReadModelStore } from '@vaops/projections';

/**
 * Invoices, from the billing topic (stream `invoice-<agencyId>-<clientId>-<period>`, one invoice each):
 * status, total and what credit notes took off it. Payout computations are not read: cost is computed
 * from approved time the way billing computes it.
 */
export const INVOICES_PROJECTION = 'analytics.invoices';
const INVOICES = 'an_invoices';

export type { InvoiceDoc } from '@vaops/facts';

export const invoicesSpec: ProjectionSpec = {
  name: INVOICES_PROJECTION,
  topics: [Topics.billing],
  collections: { [INVOICES]: { indexes: [{ key: { agencyId: 1, clientId: 1, period: 1 } }] } },
};

@Controller()
export class InvoicesProjection {
  @ProjectionHandler(invoicesSpec, 'InvoiceDrafted')
  async onInvoiceDrafted(e: PublicEvent<'InvoiceDrafted'>, store: ReadModelStore): Promise<void> {
    await applyIfNewer(store.collection(INVOICES), e.data.invoiceId, e.version, { $set: invoiceDrafted(e) });
  }

  @ProjectionHandler(invoicesSpec, 'InvoiceIssued')
  async onInvoiceIssued(e: PublicEvent<'InvoiceIssued'>, store: ReadModelStore): Promise<void> {
    await applyIfNewer(store.collection(INVOICES), e.data.invoiceId, e.version, invoiceChanges.InvoiceIssued());
  }
}

/** Payment, void and credit notes, as every invoices read model applies them (libs/facts). */
export const InvoiceLifecycleProjection = invoiceLifecycleHandlers(invoicesSpec, INVOICES);

/** Invoices, as analytics' routes read them. */
@Injectable()
export class InvoiceFacts extends readModelFor(INVOICES_PROJECTION, { invoices: collectionOf<InvoiceDoc>(INVOICES) }) {
  /** The client's invoices for these periods (months). */
  forClient(agencyId: string, clientId: string, periods: string[]): Promise<InvoiceDoc[]> {
    return this.collections.invoices.find({ agencyId, clientId, period: { $in: periods } }).toArray();
  }
}
