/**
 * Gap-free invoice numbers: one numbering stream per agency (`invoice-numbering-<agencyId>`), appended at
 * its version: two issues at the same instant race on the append, the loser decides again on the winner's
 * state, so numbers are never shared or skipped. Assigning is idempotent per invoice: a retried issue
 * reuses its number.
 */
export const numberingStreamId = (agencyId: string): string => `invoice-numbering-${agencyId}`;

// ---------------------------------------------------------------- events

export type NumberingEvent = { type: 'InvoiceNumberAssigned'; data: { invoiceId: string; year: number; seq: number; number: string } };

// ---------------------------------------------------------------- state

export interface NumberingState {
  lastByYear: Record<string, number>;
  byInvoice: Record<string, string>;
}

export const initialNumberingState = (): NumberingState => ({ lastByYear: {}, byInvoice: {} });

export const evolveNumbering = (s: NumberingState, e: NumberingEvent): NumberingState => ({
  lastByYear: { ...s.lastByYear, [String(e.data.year)]: e.data.seq },
  byInvoice: { ...s.byInvoice, [e.data.invoiceId]: e.data.number },
});

export const formatInvoiceNumber = (year: number, seq: number): string => `INV-${year}-${String(seq).padStart(6, '0')}`;
