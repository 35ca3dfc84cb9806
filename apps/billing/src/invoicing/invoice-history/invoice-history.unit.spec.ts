import type { StoredEvent } from '@vaops/event-sourcing';
import { foldAsOf, historyItem } from '@vaops/platform';
import { invoiceView } from '../context';
import type { InvoiceEvent } from '../invoice';
import { invoiceDecider } from '../invoice.decider';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const drafted = { invoiceId: 'inv-1', clientId: 'c-1', period: '2026-03', currency: 'USD', lines: [{ engagementId: 'e-1', description: '2h', amount: usd(8000), billedMinutes: 120 }], total: usd(8000) };
const events: InvoiceEvent[] = [
  { type: 'InvoiceDrafted', data: drafted },
  { type: 'InvoiceIssued', data: { invoiceId: 'inv-1', clientId: 'c-1', period: '2026-03', number: 'INV-2026-000001', issuedAt: '2026-04-02T10:00:00.000Z', total: usd(8000) } },
  { type: 'CreditNoteIssued', data: { creditNoteId: 'cn-1', invoiceId: 'inv-1', clientId: 'c-1', amount: usd(500), reason: 'goodwill', issuedAt: '2026-04-05T10:00:00.000Z' } },
  { type: 'InvoiceVoided', data: { invoiceId: 'inv-1', clientId: 'c-1', reason: 'wrong client', voidedAt: '2026-04-07T10:00:00.000Z' } },
];
const times = ['2026-04-01T10:00:00.000Z', '2026-04-02T10:00:00.000Z', '2026-04-05T10:00:00.000Z', '2026-04-07T10:00:00.000Z'];
const stored: StoredEvent<InvoiceEvent>[] = events.map((e, i) => ({
  eventId: `ev-${i}`,
  streamId: 'invoice-ag-c-1-2026-03',
  version: i + 1,
  position: i + 1,
  type: e.type,
  schemaVersion: 1,
  data: e.data,
  metadata: { agencyId: 'ag', actor: { sub: i < 2 ? 'ops-1' : 'ops-2', role: 'agency-admin' }, correlationId: `corr-${i}`, causationId: `corr-${i}`, occurredAt: times[i] },
}));
const viewAt = (iso: string) => {
  const past = foldAsOf(invoiceDecider, stored, new Date(iso));
  return past && invoiceView(past.state.invoice!, past.state.status!, past.state.number, past.state.creditedMinor, past.version);
};

describe('an invoice as of an instant', () => {
  it('did not exist before its draft', () => {
    expect(viewAt('2026-04-01T09:59:59.999Z')).toBeNull();
  });

  it('is a draft without a number, then issued with its number, then credited, then void', () => {
    expect(viewAt('2026-04-01T10:00:00.000Z')).toMatchObject({ id: 'inv-1', status: 'draft', number: null, total: usd(8000), credited: usd(0), version: 1 });
    expect(viewAt('2026-04-03T00:00:00.000Z')).toMatchObject({ status: 'issued', number: 'INV-2026-000001', credited: usd(0), version: 2 });
    expect(viewAt('2026-04-06T00:00:00.000Z')).toMatchObject({ status: 'issued', credited: usd(500), version: 3 });
    expect(viewAt('2026-05-01T00:00:00.000Z')).toMatchObject({ status: 'void', number: 'INV-2026-000001', credited: usd(500), version: 4 });
  });

  it('lists why a credit note and a void were made, by whom, without the invoice id in the changes', () => {
    const items = stored.map((e) => historyItem(e, ['invoiceId']));
    expect(items.map((i) => [i.type, i.actor.sub, i.reason])).toEqual([
      ['InvoiceDrafted', 'ops-1', undefined],
      ['InvoiceIssued', 'ops-1', undefined],
      ['CreditNoteIssued', 'ops-2', 'goodwill'],
      ['InvoiceVoided', 'ops-2', 'wrong client'],
    ]);
    expect(items[2].changes).toEqual({ creditNoteId: 'cn-1', clientId: 'c-1', amount: usd(500), issuedAt: '2026-04-05T10:00:00.000Z' });
  });
});
