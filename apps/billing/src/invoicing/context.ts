import type { InvoiceDraftedV1 } from '@vaops/contracts';
import { ConcurrencyConflictError, type Decider, type DomainEvent, type HandleResult } from '@vaops/event-sourcing';
import type { Principal } from '@vaops/platform';
import type { Runtime } from '../runtime';
import { invoiceDecider, type InvoiceState } from './invoice.decider';
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

/** The invoice as its stream decides it now (strongly consistent), if the caller may see it; else 404. */
export async function loadInvoice(runtime: Runtime, id: string, p: Principal): Promise<LoadedInvoice> {
  const index = await runtime.db.collection<InvoiceIndexDoc>(INVOICE_INDEX).findOne({ _id: id });
  if (!index || index.agencyId !== p.agencyId || (p.role === 'client' && index.clientId !== p.clientId) || p.role === 'assistant') throw invoiceNotFound(id);
  const loaded = await runtime.loadOwned(invoiceDecider, index.streamId, p.agencyId);
  if (!loaded?.state.invoice) throw invoiceNotFound(id);
  return { index, state: loaded.state, version: loaded.version };
}

/**
 * Runs a command, deciding again on every lost race: under many parallel writers on one stream (the
 * per-agency numbering stream) the default three retries are not enough, and giving up is never right.
 */
export async function executePersistently<C, E extends DomainEvent, S>(runtime: Runtime, decider: Decider<C, E, S>, streamId: string, command: C, p: Principal): Promise<HandleResult<E, S>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await runtime.execute(decider, streamId, command, p);
    } catch (err) {
      if (!(err instanceof ConcurrencyConflictError) || attempt >= 50) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20));
    }
  }
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
