import type { InvoiceDraftedV1, StoredEventOf } from '@vaops/contracts';

/**
 * One stream per agency, client and period (`invoice-<agencyId>-<clientId>-<period>`): the invoice is decided
 * at its version, so a re-run billing run never drafts a second invoice for the same client and period, and
 * an issued invoice is never edited (corrections are credit notes).
 */
export const invoiceStreamId = (agencyId: string, clientId: string, period: string): string => `invoice-${agencyId}-${clientId}-${period}`;

// ---------------------------------------------------------------- events

/** The invoice's public events as they are published (a void's or credit note's reason under the client's key). */
export type InvoiceEvent = StoredEventOf<'InvoiceDrafted' | 'InvoiceIssued' | 'InvoicePaid' | 'InvoiceVoided' | 'CreditNoteIssued'>;

// ---------------------------------------------------------------- state

export type InvoiceStatus = 'draft' | 'issued' | 'paid' | 'void';

export interface InvoiceState {
  invoice: InvoiceDraftedV1 | null;
  status: InvoiceStatus | null;
  number: string | null;
  creditedMinor: number;
  creditNoteIds: string[];
}

export const initialInvoiceState = (): InvoiceState => ({ invoice: null, status: null, number: null, creditedMinor: 0, creditNoteIds: [] });

export function evolveInvoice(state: InvoiceState, event: InvoiceEvent): InvoiceState {
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

