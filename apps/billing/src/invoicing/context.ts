import type { InvoiceDraftedV1 } from '@vaops/contracts';
import type { Current, Principal } from '@vaops/platform';
import type { InvoiceState } from './invoice';
import { invoiceNotFound, type InvoiceIndex, type InvoiceIndexDoc } from './invoice-index';
import type { Invoices } from './invoices';

export interface LoadedInvoice {
  index: InvoiceIndexDoc;
  state: InvoiceState;
  version: number;
}

/** The invoice its stream's state holds; 404 when it holds none. */
export function invoiceIn(current: Current<InvoiceState> | null, id: string): Current<InvoiceState> {
  if (!current?.state.invoice) throw invoiceNotFound(id);
  return current;
}

/** The invoice as its stream decides it now (strongly consistent), if the caller may see it; else 404. */
export async function loadInvoice(indexes: InvoiceIndex, invoices: Invoices, id: string, p: Principal): Promise<LoadedInvoice> {
  const index = await indexes.visibleTo(id, p);
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
