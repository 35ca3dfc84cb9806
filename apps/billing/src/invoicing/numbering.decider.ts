import type { Decider } from '@vaops/event-sourcing';
import { evolveNumbering, formatInvoiceNumber, initialNumberingState, type NumberingEvent, type NumberingState } from './numbering';

export type NumberingCommand = { type: 'Assign'; data: { invoiceId: string; year: number } };

/** The next number of the year, or nothing when the invoice has its number already. */
export function decideNumbering(c: NumberingCommand, s: NumberingState): NumberingEvent[] {
  if (s.byInvoice[c.data.invoiceId]) return [];
  const seq = (s.lastByYear[String(c.data.year)] ?? 0) + 1;
  return [{ type: 'InvoiceNumberAssigned', data: { invoiceId: c.data.invoiceId, year: c.data.year, seq, number: formatInvoiceNumber(c.data.year, seq) } }];
}

export const numberingDecider: Decider<NumberingCommand, NumberingEvent, NumberingState> = {
  initialState: initialNumberingState,
  evolve: evolveNumbering,
  decide: decideNumbering,
};
