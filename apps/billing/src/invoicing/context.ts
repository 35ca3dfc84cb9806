import type { InvoiceDraftedV1 } from '@vaops/contracts';
import type { Current, Principal } from '@vaops/platform';
import type { Runtime } from '../runtime';
import type { InvoiceState } from './invoice';
import type { Invoices } from './invoices';
import { InvoicingErrors } from './invoicing.errors';

/** Which stream an invoice id lives in, written (idempotently) after its draft is appended. */
export const INVOICE_INDEX = 'bl_invoice_index';

export interface InvoiceIndexDoc {
  _id: string;
  agencyId: string;
  clientId: string;
  streamId: string;
}

export const invoiceNotFound = (id: string) => InvoicingErrors.notFound(`invoice ${id} not found`);

export interface LoadedInvoice {
  index: InvoiceIndexDoc;
  state: InvoiceState;
  version: number;
}

/** Which stream holds the invoice (its index), if the caller may see it; else 404. */
export async function invoiceIndex(runtime: Runtime, id: string, p: Principal): Promise<InvoiceIndexDoc> {
  const index = await runtime.db.collection<InvoiceIndexDoc>(INVOICE_INDEX).findOne({ _id: id });
  if (!index || index.agencyId !== p.agencyId || (p.role === 'client' && index.clientId !== p.clientId) || p.role === 'assistant') throw invoiceNotFound(id);
  return index;
}

/** The invoice its stream's state holds; 404 when it holds none. */
export function invoiceIn(current: Current<InvoiceState> | null, id: string): Current<InvoiceState> {
  if (!current?.state.invoice) throw invoiceNotFound(id);
  return current;
}

/** The invoice as its stream decides it now (strongly consistent), if the caller may see it; else 404. */
export async function loadInvoice(runtime: Runtime, invoices: Invoices, id: string, p: Principal): Promise<LoadedInvoice> {
  const index = await invoiceIndex(runtime, id, p);
  const { state, version } = invoiceIn(await invoices.load(index.streamId, p.agencyId), id);
  return { index, state, version };
}

/** The Invoice shape of API.md (plus what was credited). */
export const invoiceView = (inv: InvoiceDraftedV1, status: string, number: string | null, creditedMinor: number, version: number) => ({
  id: inv.invoiceId,
  number,
  clientId: inv.clientId,
  period: inv.period,
  status,
  currency: inv.currency,
  lines: inv.lines.map((l) => ({ engagementId: l.engagementId, description: l.description, amount: l.amount })),
  total: inv.total,
  credited: { amountMinor: creditedMinor, currency: inv.currency },
  version,
});
