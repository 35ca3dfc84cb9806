import type { InvoiceDraftedV1, SealedPersonalData } from '@vaops/contracts';
import { DomainError } from '@vaops/event-sourcing';
import { DeciderSpecification } from '@vaops/testing/decider';
import type { InvoiceEvent } from './invoice';
import { invoiceDecider, type InvoiceCommand } from './invoice.decider';
import { numberingDecider, type NumberingCommand } from './numbering.decider';

const drafted: InvoiceDraftedV1 = {
  invoiceId: 'i-1',
  clientId: 'c-1',
  period: '2026-03',
  currency: 'USD',
  lines: [{ engagementId: 'e-1', description: '2026-03: 1h00 at 2500 per hour', amount: { amountMinor: 2500, currency: 'USD' }, billedMinutes: 60 }],
  total: { amountMinor: 2500, currency: 'USD' },
};
// the route seals a reason under the client's key: the decider records it as it came
const sealed = (person: string): SealedPersonalData => ({ pii: 'v1', person, iv: 'bm9uY2Utbm9uY2U=', ct: 'Y2lwaGVydGV4dA==' });
const draft: InvoiceCommand = { type: 'Draft', data: drafted };
const draftedEvent: InvoiceEvent = { type: 'InvoiceDrafted', data: drafted };
const issue: InvoiceCommand = { type: 'Issue', data: { number: 'INV-2026-000001', issuedAt: '2026-04-01T00:00:00Z' } };
const pay: InvoiceCommand = { type: 'Pay', data: { paidAt: '2026-04-10T00:00:00Z' } };
const creditNote = (creditNoteId: string, amountMinor: number): InvoiceCommand => ({ type: 'CreditNote', data: { creditNoteId, amountMinor, reason: sealed('c-1'), issuedAt: 'x' } });
const given = DeciderSpecification.for(invoiceDecider);

describe('invoice decider', () => {
  it('drafts once per client and period (a re-run drafts nothing)', () => {
    given([]).when(draft).then([draftedEvent]);
    given([draftedEvent]).when({ type: 'Draft', data: { ...drafted, invoiceId: 'i-2' } }).thenNothingHappened();
  });

  it('walks draft → issued → paid, and is never edited once issued', () => {
    const paid = given([]).when(draft, issue, pay);
    paid.thenMatches([{ type: 'InvoiceDrafted' }, { type: 'InvoiceIssued' }, { type: 'InvoicePaid' }]);
    expect(paid.state()).toMatchObject({ status: 'paid', number: 'INV-2026-000001' });
    given(paid.history()).when({ type: 'Void', data: { reason: sealed('c-1'), voidedAt: '2026-04-11T00:00:00Z' } }).thenThrows(DomainError, 'INVOICE.PAID');
    given(paid.history().slice(0, 2))
      .when({ ...issue, data: { ...issue.data, number: 'INV-2026-000002' } })
      .thenThrows(DomainError, 'INVOICE.NOT_DRAFT');
  });

  it('pays only issued invoices and voids drafts or issued ones', () => {
    given([draftedEvent]).when({ type: 'Pay', data: { paidAt: 'x' } }).thenThrows(DomainError, 'INVOICE.NOT_ISSUED');
    given([draftedEvent]).when({ type: 'Void', data: { reason: sealed('c-1'), voidedAt: 'x' } }).thenMatches([{ type: 'InvoiceVoided', data: { reason: sealed('c-1') } }]);
    given([]).when(issue).thenThrows(DomainError, 'INVOICE.NOT_FOUND');
  });

  it('corrects with credit notes up to the total, and pays what is left', () => {
    const issued = given([]).when(draft, issue).history();
    given(issued).when(creditNote('cn-1', 500)).thenMatches([{ data: { amount: { amountMinor: 500, currency: 'USD' } } }]);
    const credited = given(issued).when(creditNote('cn-1', 500)).history();
    given(credited).when(creditNote('cn-2', 2001)).thenThrows(DomainError, 'CREDIT_NOTE.EXCEEDS_INVOICE');
    given(credited).when(creditNote('cn-2', 0.5)).thenThrows(DomainError, 'VALIDATION.FAILED');
    given(credited).when({ type: 'Pay', data: { paidAt: 'x' } }).thenMatches([{ data: { amount: { amountMinor: 2000 } } }]);
    given([draftedEvent]).when(creditNote('c', 1)).thenThrows(DomainError, 'INVOICE.NOT_ISSUED');
  });

  it('issues nothing for a retried credit note (its id exists), even once the invoice is paid', () => {
    const all = creditNote('cn-1', 2500);
    const credited = given([]).when(draft, issue, all).history();
    given(credited).when(all).thenNothingHappened();
    given(given(credited).when({ type: 'Pay', data: { paidAt: 'x' } }).history()).when(all).thenNothingHappened();
  });
});

describe('numbering decider', () => {
  const given = DeciderSpecification.for(numberingDecider);
  const assign = (invoiceId: string, year = 2026): NumberingCommand => ({ type: 'Assign', data: { invoiceId, year } });

  it('numbers gap-free per year, idempotently per invoice', () => {
    given([])
      .when(assign('i-1'), assign('i-2'), assign('i-1'), assign('i-3', 2027))
      .thenMatches([{ data: { number: 'INV-2026-000001' } }, { data: { number: 'INV-2026-000002' } }, { data: { number: 'INV-2027-000001' } }]);
  });
});
