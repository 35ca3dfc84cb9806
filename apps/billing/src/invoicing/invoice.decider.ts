import type { InvoiceDraftedV1, SealedText } from '@vaops/contracts';
import { defineDecider } from '@vaops/event-sourcing';
import { PlatformErrors } from '@vaops/platform';
import { evolveInvoice, initialInvoiceState, type InvoiceEvent, type InvoiceState } from './invoice';
import { InvoicingErrors } from './invoicing.errors';

export type InvoiceCommand =
  | { type: 'Draft'; data: InvoiceDraftedV1 }
  | { type: 'Issue'; data: { number: string; issuedAt: string } }
  | { type: 'Pay'; data: { paidAt: string } }
  // reasons as the route sealed them under the client's key (the erased form once the client is erased)
  | { type: 'Void'; data: { reason: SealedText; voidedAt: string } }
  | { type: 'CreditNote'; data: { creditNoteId: string; amountMinor: number; reason: SealedText; issuedAt: string } };

function existing(state: InvoiceState): InvoiceDraftedV1 {
  if (!state.invoice) throw InvoicingErrors.notFound('invoice not found');
  return state.invoice;
}

export const invoiceDecider = defineDecider<InvoiceCommand, InvoiceEvent, InvoiceState>({
  initialState: initialInvoiceState,
  evolve: evolveInvoice,
  decide: {
    Draft(command, state) {
      // idempotent: the client and period already have their invoice
      return state.invoice ? [] : [{ type: 'InvoiceDrafted', data: command.data }];
    },
    Issue(command, state) {
      const inv = existing(state);
      if (state.status === 'issued' && state.number === command.data.number) return [];
      if (state.status !== 'draft') throw InvoicingErrors.notDraft(`only a draft can be issued (status ${state.status})`);
      return [{ type: 'InvoiceIssued', data: { invoiceId: inv.invoiceId, clientId: inv.clientId, period: inv.period, number: command.data.number, issuedAt: command.data.issuedAt, total: inv.total } }];
    },
    Pay(command, state) {
      const inv = existing(state);
      if (state.status === 'paid') return [];
      if (state.status !== 'issued') throw InvoicingErrors.notIssued(`only an issued invoice can be paid (status ${state.status})`);
      const due = inv.total.amountMinor - state.creditedMinor;
      return [{ type: 'InvoicePaid', data: { invoiceId: inv.invoiceId, clientId: inv.clientId, paidAt: command.data.paidAt, amount: { amountMinor: due, currency: inv.currency } } }];
    },
    Void(command, state) {
      const inv = existing(state);
      if (state.status === 'void') return [];
      if (state.status === 'paid') throw InvoicingErrors.paid('a paid invoice cannot be voided: issue a credit note');
      return [{ type: 'InvoiceVoided', data: { invoiceId: inv.invoiceId, clientId: inv.clientId, reason: command.data.reason, voidedAt: command.data.voidedAt } }];
    },
    CreditNote(command, state) {
      const inv = existing(state);
      if (state.creditNoteIds.includes(command.data.creditNoteId)) return []; // a retried request
      if (state.status !== 'issued' && state.status !== 'paid') throw InvoicingErrors.notIssued('credit notes correct issued or paid invoices only');
      const { amountMinor } = command.data;
      if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw PlatformErrors.validationFailed('amountMinor must be a positive integer');
      if (state.creditedMinor + amountMinor > inv.total.amountMinor) throw InvoicingErrors.creditNoteExceedsInvoice('credit notes may not exceed the invoice total');
      return [
        {
          type: 'CreditNoteIssued',
          data: { creditNoteId: command.data.creditNoteId, invoiceId: inv.invoiceId, clientId: inv.clientId, amount: { amountMinor, currency: inv.currency }, reason: command.data.reason, issuedAt: command.data.issuedAt },
        },
      ];
    },
  },
});
