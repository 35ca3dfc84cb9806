import type { CreditNoteIssuedV1, InvoiceDraftedV1, InvoiceIssuedV1, InvoicePaidV1, InvoiceVoidedV1 } from '@vaops/contracts';
import type { Decider } from '@vaops/event-sourcing';
import { PlatformErrors } from '@vaops/platform';
import { InvoicingErrors } from './invoicing.errors';

/**
 * One stream per agency, client and period (`invoice-<agencyId>-<clientId>-<period>`): the invoice is decided
 * at its version, so a re-run billing run never drafts a second invoice for the same client and period, and
 * an issued invoice is never edited (corrections are credit notes).
 */
export const invoiceStreamId = (agencyId: string, clientId: string, period: string): string => `invoice-${agencyId}-${clientId}-${period}`;

export type InvoiceEvent =
  | { type: 'InvoiceDrafted'; data: InvoiceDraftedV1 }
  | { type: 'InvoiceIssued'; data: InvoiceIssuedV1 }
  | { type: 'InvoicePaid'; data: InvoicePaidV1 }
  | { type: 'InvoiceVoided'; data: InvoiceVoidedV1 }
  | { type: 'CreditNoteIssued'; data: CreditNoteIssuedV1 };

export type InvoiceStatus = 'draft' | 'issued' | 'paid' | 'void';

export interface InvoiceState {
  invoice: InvoiceDraftedV1 | null;
  status: InvoiceStatus | null;
  number: string | null;
  creditedMinor: number;
  creditNoteIds: string[];
}

export type InvoiceCommand =
  | { type: 'Draft'; data: InvoiceDraftedV1 }
  | { type: 'Issue'; data: { number: string; issuedAt: string } }
  | { type: 'Pay'; data: { paidAt: string } }
  | { type: 'Void'; data: { reason: string; voidedAt: string } }
  | { type: 'CreditNote'; data: { creditNoteId: string; amountMinor: number; reason: string; issuedAt: string } };

const initialState = (): InvoiceState => ({ invoice: null, status: null, number: null, creditedMinor: 0, creditNoteIds: [] });

function evolve(state: InvoiceState, event: InvoiceEvent): InvoiceState {
  switch (event.type) {
    case 'InvoiceDrafted':
      return { ...state, invoice: event.data, status: 'draft' };
    case 'InvoiceIssued':
      return { ...state, status: 'issued', number: event.data.number };
    case 'InvoicePaid':
      return { ...state, status: 'paid' };
    case 'InvoiceVoided':
      return { ...state, status: 'void' };
    case 'CreditNoteIssued':
      return { ...state, creditedMinor: state.creditedMinor + event.data.amount.amountMinor, creditNoteIds: [...state.creditNoteIds, event.data.creditNoteId] };
  }
}

function existing(state: InvoiceState): InvoiceDraftedV1 {
  if (!state.invoice) throw InvoicingErrors.notFound('invoice not found');
  return state.invoice;
}

function decide(command: InvoiceCommand, state: InvoiceState): InvoiceEvent[] {
  switch (command.type) {
    case 'Draft':
      // idempotent: the client and period already have their invoice
      return state.invoice ? [] : [{ type: 'InvoiceDrafted', data: command.data }];
    case 'Issue': {
      const inv = existing(state);
      if (state.status === 'issued' && state.number === command.data.number) return [];
      if (state.status !== 'draft') throw InvoicingErrors.notDraft(`only a draft can be issued (status ${state.status})`);
      return [{ type: 'InvoiceIssued', data: { invoiceId: inv.invoiceId, clientId: inv.clientId, period: inv.period, number: command.data.number, issuedAt: command.data.issuedAt, total: inv.total } }];
    }
    case 'Pay': {
      const inv = existing(state);
      if (state.status === 'paid') return [];
      if (state.status !== 'issued') throw InvoicingErrors.notIssued(`only an issued invoice can be paid (status ${state.status})`);
      const due = inv.total.amountMinor - state.creditedMinor;
      return [{ type: 'InvoicePaid', data: { invoiceId: inv.invoiceId, clientId: inv.clientId, paidAt: command.data.paidAt, amount: { amountMinor: due, currency: inv.currency } } }];
    }
    case 'Void': {
      const inv = existing(state);
      if (state.status === 'void') return [];
      if (state.status === 'paid') throw InvoicingErrors.paid('a paid invoice cannot be voided: issue a credit note');
      return [{ type: 'InvoiceVoided', data: { invoiceId: inv.invoiceId, clientId: inv.clientId, reason: command.data.reason, voidedAt: command.data.voidedAt } }];
    }
    case 'CreditNote': {
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
    }
  }
}

export const invoiceDecider: Decider<InvoiceCommand, InvoiceEvent, InvoiceState> = { initialState, evolve, decide };

// ---------------------------------------------------------------- gap-free numbering

/**
 * One numbering stream per agency (`invoice-numbering-<agencyId>`), appended at its version: two issues at
 * the same instant race on the append, the loser decides again on the winner's state, so numbers are never
 * shared or skipped. Assigning is idempotent per invoice: a retried issue reuses its number.
 */
export const numberingStreamId = (agencyId: string): string => `invoice-numbering-${agencyId}`;

export type NumberingEvent = { type: 'InvoiceNumberAssigned'; data: { invoiceId: string; year: number; seq: number; number: string } };
export interface NumberingState {
  lastByYear: Record<string, number>;
  byInvoice: Record<string, string>;
}
export type NumberingCommand = { type: 'Assign'; data: { invoiceId: string; year: number } };

export const formatInvoiceNumber = (year: number, seq: number): string => `INV-${year}-${String(seq).padStart(6, '0')}`;

export const numberingDecider: Decider<NumberingCommand, NumberingEvent, NumberingState> = {
  initialState: () => ({ lastByYear: {}, byInvoice: {} }),
  evolve: (s, e) => ({ lastByYear: { ...s.lastByYear, [String(e.data.year)]: e.data.seq }, byInvoice: { ...s.byInvoice, [e.data.invoiceId]: e.data.number } }),
  decide: (c, s) => {
    if (s.byInvoice[c.data.invoiceId]) return [];
    const seq = (s.lastByYear[String(c.data.year)] ?? 0) + 1;
    return [{ type: 'InvoiceNumberAssigned', data: { invoiceId: c.data.invoiceId, year: c.data.year, seq, number: formatInvoiceNumber(c.data.year, seq) } }];
  },
};
