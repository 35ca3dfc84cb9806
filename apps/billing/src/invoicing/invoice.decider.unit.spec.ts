import type { InvoiceDraftedV1 } from '@vaops/contracts';
import { deciderSpec, fold } from '@vaops/event-sourcing';
import { invoiceDecider, numberingDecider, type InvoiceCommand, type NumberingEvent } from './invoice.decider';

const drafted: InvoiceDraftedV1 = {
  invoiceId: 'i-1',
  clientId: 'c-1',
  period: '2026-03',
  currency: 'USD',
  lines: [{ engagementId: 'e-1', description: '2026-03: 1h00 at 2500 per hour', amount: { amountMinor: 2500, currency: 'USD' }, billedMinutes: 60 }],
  total: { amountMinor: 2500, currency: 'USD' },
};
const code = (c: string) => expect.objectContaining({ code: c });
const issue: InvoiceCommand = { type: 'Issue', data: { number: 'INV-2026-000001', issuedAt: '2026-04-01T00:00:00Z' } };
const { given, when, then } = deciderSpec(invoiceDecider);

describe('invoice decider', () => {
  it('drafts once per client and period (a re-run drafts nothing)', () => {
    const first = when([], { type: 'Draft', data: drafted });
    expect(first).toEqual([{ type: 'InvoiceDrafted', data: drafted }]);
    expect(when(first, { type: 'Draft', data: { ...drafted, invoiceId: 'i-2' } })).toEqual([]);
  });

  it('walks draft → issued → paid, and is never edited once issued', () => {
    const events = then([], { type: 'Draft', data: drafted }, issue, { type: 'Pay', data: { paidAt: '2026-04-10T00:00:00Z' } });
    expect(events.map((e) => e.type)).toEqual(['InvoiceDrafted', 'InvoiceIssued', 'InvoicePaid']);
    expect(given(...events)).toMatchObject({ status: 'paid', number: 'INV-2026-000001' });
    expect(() => when(events, { type: 'Void', data: { reason: 'x', voidedAt: '2026-04-11T00:00:00Z' } })).toThrow(code('INVOICE.PAID'));
    expect(() => when(events.slice(0, 2), { ...issue, data: { ...issue.data, number: 'INV-2026-000002' } })).toThrow(code('INVOICE.NOT_DRAFT'));
  });

  it('pays only issued invoices and voids drafts or issued ones', () => {
    const d = when([], { type: 'Draft', data: drafted });
    expect(() => when(d, { type: 'Pay', data: { paidAt: 'x' } })).toThrow(code('INVOICE.NOT_ISSUED'));
    expect(when(d, { type: 'Void', data: { reason: 'wrong', voidedAt: 'x' } })[0].type).toBe('InvoiceVoided');
    expect(() => when([], issue)).toThrow(code('INVOICE.NOT_FOUND'));
  });

  it('corrects with credit notes up to the total, and pays what is left', () => {
    const issued = then([], { type: 'Draft', data: drafted }, issue);
    const credited = then(issued, { type: 'CreditNote', data: { creditNoteId: 'cn-1', amountMinor: 500, reason: 'discount', issuedAt: 'x' } });
    expect(credited[2].data).toMatchObject({ amount: { amountMinor: 500, currency: 'USD' } });
    expect(() => when(credited, { type: 'CreditNote', data: { creditNoteId: 'cn-2', amountMinor: 2001, reason: 'x', issuedAt: 'x' } })).toThrow(code('CREDIT_NOTE.EXCEEDS_INVOICE'));
    expect(() => when(credited, { type: 'CreditNote', data: { creditNoteId: 'cn-2', amountMinor: 0.5, reason: 'x', issuedAt: 'x' } })).toThrow(code('VALIDATION.FAILED'));
    expect(when(credited, { type: 'Pay', data: { paidAt: 'x' } })[0].data).toMatchObject({ amount: { amountMinor: 2000 } });
    expect(() => when(when([], { type: 'Draft', data: drafted }), { type: 'CreditNote', data: { creditNoteId: 'c', amountMinor: 1, reason: 'x', issuedAt: 'x' } })).toThrow(code('INVOICE.NOT_ISSUED'));
  });

  it('issues nothing for a retried credit note (its id exists), even once the invoice is paid', () => {
    const creditNote: InvoiceCommand = { type: 'CreditNote', data: { creditNoteId: 'cn-1', amountMinor: 2500, reason: 'all of it', issuedAt: 'x' } };
    const credited = then([], { type: 'Draft', data: drafted }, issue, creditNote);
    expect(when(credited, creditNote)).toEqual([]);
    expect(when(then(credited, { type: 'Pay', data: { paidAt: 'x' } }), creditNote)).toEqual([]);
  });
});

describe('numbering decider', () => {
  const assign = (events: NumberingEvent[], invoiceId: string, year = 2026) => [...events, ...numberingDecider.decide({ type: 'Assign', data: { invoiceId, year } }, fold(numberingDecider, events))];

  it('numbers gap-free per year, idempotently per invoice', () => {
    let events = assign([], 'i-1');
    events = assign(events, 'i-2');
    events = assign(events, 'i-1');
    events = assign(events, 'i-3', 2027);
    expect(events.map((e) => e.data.number)).toEqual(['INV-2026-000001', 'INV-2026-000002', 'INV-2027-000001']);
  });
});
