import type { InvoiceDraftedV1 } from '@vaops/contracts';
import type { Current, Principal } from '@vaops/platform';
import type { InvoiceState } from './invoice';
import type { InvoiceIndex, InvoiceIndexDoc } from './invoice-index';
import type { Invoices } from './invoices';
import { InvoicingErrors } from './invoicing.errors';

export const invoiceNotFound = (id: string) => InvoicingErrors.notFound(`invoice ${id} not found`);

export interface LoadedInvoice {
  index: InvoiceIndexDoc;
  state: InvoiceState;
  version: number;
}

/** Which stream holds the invoice (its index), if the caller may see it; else 404. */
export async function invoiceIndex(indexes: InvoiceIndex, id: string, p: Principal): Promise<InvoiceIndexDoc> {
  const index = await indexes.byId(id);
  if (!index || index.agencyId !== p.agencyId || (p.role === 'client' && index.clientId !== p.clientId) || p.role === 'assistant') throw invoiceNotFound(id);
  return index;
}

/** The invoice its stream's state holds; 404 when it holds none. */
export function invoiceIn(current: Current<InvoiceState> | null, id: string): Current<InvoiceState> {
  if (!current?.state.invoice) throw invoiceNotFound(id);
  return current;
}

/** The invoice as its stream decides it now (strongly consistent), if the caller may see it; else 404. */
export async function loadInvoice(indexes: InvoiceIndex, invoices: Invoices, id: string, p: Principal): Promise<LoadedInvoice> {
  const index = await invoiceIndex(indexes, id, p);
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
