import { Controller, Injectable } from '@nestjs/common';
import { Topics, type PublicEvent } from '@vaops/contracts';
import { ProjectionHandler, findPage, collectionOf, readModelFor, type ProjectionSpec } from '@vaops/platform';
import type { Filter } from 'mongodb';
import { invoiceChanges, invoiceDrafted, invoiceLifecycleHandlers, type InvoiceDoc as InvoiceFactsDoc } from '@vaops/facts';
import { applyIfNewer, type ReadModelStore } from '@vaops/projections';

/** The invoices of the billing service itself, from its own topic: for lists and margins. */
export const INVOICES_PROJECTION = 'billing.invoices';
const INVOICES = 'bl_invoices';

/** The invoice as every invoices read model keeps it, plus its number and when it was drafted. */
export interface InvoiceDoc extends InvoiceFactsDoc {
  number: string | null;
  draftedAt: string;
}

export const invoicesSpec: ProjectionSpec = {
  name: INVOICES_PROJECTION,
  topics: [Topics.billing],
  collections: { [INVOICES]: { indexes: [{ key: { agencyId: 1, period: 1 } }, { key: { agencyId: 1, clientId: 1 } }] } },
};

@Controller()
export class InvoicesProjection {
  @ProjectionHandler(invoicesSpec, 'InvoiceDrafted')
  async onInvoiceDrafted(e: PublicEvent<'InvoiceDrafted'>, store: ReadModelStore): Promise<void> {
    await applyIfNewer(store.collection(INVOICES), e.data.invoiceId, e.version, { $set: { ...invoiceDrafted(e), number: null, draftedAt: e.metadata.occurredAt } });
  }

  @ProjectionHandler(invoicesSpec, 'InvoiceIssued')
  async onInvoiceIssued(e: PublicEvent<'InvoiceIssued'>, store: ReadModelStore): Promise<void> {
    await applyIfNewer(store.collection(INVOICES), e.data.invoiceId, e.version, { $set: { ...invoiceChanges.InvoiceIssued().$set, number: e.data.number } });
  }
}

/** Payment, void and credit notes, as every invoices read model applies them (libs/facts). */
export const InvoiceLifecycleProjection = invoiceLifecycleHandlers(invoicesSpec, INVOICES);

export interface InvoicesPageQuery {
  clientId?: string;
  period?: string;
  status?: string;
  /** The last invoice of the previous page: its period and id. */
  after?: [string, string];
}

/**
 * The invoices as last projected, for lists, billing runs and margins (a route that acts on one invoice
 * reads its stream instead). Named apart from `Invoices`, the invoice streams' handle.
 */
@Injectable()
export class InvoicesReadModel extends readModelFor(INVOICES_PROJECTION, { invoices: collectionOf<InvoiceDoc>(INVOICES) }) {
  /** The agency's invoices by period then id: every match, or `limit + 1` of them (the extra one says there is more). */
  list(agencyId: string, q: InvoicesPageQuery, limit: number | undefined): Promise<InvoiceDoc[]> {
    const filter: Filter<InvoiceDoc> = { agencyId };
    if (q.clientId) filter.clientId = q.clientId;
    if (q.period) filter.period = q.period;
    if (q.status) filter.status = q.status as InvoiceDoc['status'];
    return findPage(this.collections.invoices, filter, 'period', q.after, limit);
  }

  /** The agency's invoices of a period (void ones included). */
  ofPeriod(agencyId: string, period: string): Promise<InvoiceDoc[]> {
    return this.collections.invoices.find({ agencyId, period }).toArray();
  }

  /** The agency's invoices of every period before this one (void ones included). */
  before(agencyId: string, period: string): Promise<InvoiceDoc[]> {
    return this.collections.invoices.find({ agencyId, period: { $lt: period } }).toArray();
  }
}
