import { eventEnvelope, projectionSpec } from '@vaops/testing';
import { AnalyticsEventHandlers } from '../projections';
import { CLIENTS_FACTS, type EngagementDoc } from './clients-facts.projection';
import { INVOICES_PROJECTION, type InvoiceDoc } from './invoices.projection';
import { TIME, type LoggedEntryDoc } from './time.projection';

const envelope = (streamId: string, type: string, version: number, data: object) => eventEnvelope(type, data, { streamId, version, occurredAt: '2026-03-02T12:00:00.000Z' });

describe('analytics read models (real Mongo-compatible server): every event applies once', () => {
  const spec = projectionSpec('analytics-facts', AnalyticsEventHandlers);

  it('keeps a corrected entry in its new week and an adjusting entry in its own, under redelivery', async () => {
    const parties = { engagementId: 'e', assistantId: 'a', clientId: 'c' };
    const values = (isoWeek: string, actualMinutes: number) => ({ category: 'data-entry', startedAt: '2026-03-09T10:00:00Z', endedAt: '2026-03-09T11:00:00Z', actualMinutes, billedMinutes: actualMinutes, billable: true, notes: null, isoWeek, month: '2026-03', rounding: { minutes: 0, mode: 'nearest' } });
    const logged = envelope('timelog-a', 'TimeEntryLogged', 1, { entryId: 'x', ...parties, ...values('2026-W11', 60), source: 'manual' });
    const corrected = envelope('timelog-a', 'TimeEntryCorrected', 3, { entryId: 'x', ...parties, ...values('2026-W12', 45) });
    const adjusted = envelope('timelog-a', 'TimeEntryAdjusted', 7, { entryId: 'y', ...parties, ...values('2026-W13', -5), adjusts: 'x', reason: 'typo' });
    await spec.apply([logged, corrected, logged, corrected, adjusted, adjusted], TIME);
    const docs = await spec.db.collection<LoggedEntryDoc>('an_logged_entries').find({}).sort({ _id: 1 }).toArray();
    expect(docs).toEqual([
      expect.objectContaining({ _id: 'x', _v: 3, isoWeek: '2026-W12', actualMinutes: 45, adjusts: null }),
      expect.objectContaining({ _id: 'y', _v: 7, isoWeek: '2026-W13', actualMinutes: -5, adjusts: 'x' }),
    ]);
  });

  it('records each phase change and each credit note once', async () => {
    const plan = { type: 'hourly', rate: { amountMinor: 4000, currency: 'USD' } };
    const started = envelope('engagement-e', 'EngagementStarted', 1, { engagementId: 'e', clientId: 'c', assistantId: 'a', kind: 'part-time', weeklyHours: 2, startsOn: '2026-03-02', noticePeriodDays: 14, phase: 1, plan });
    const promoted = envelope('engagement-e', 'EngagementPhaseChanged', 3, { engagementId: 'e', from: 1, to: 3, skipped: [2], reason: 'great', decidedBy: { sub: 's', role: 'client' }, effectiveAt: '2026-03-05T09:00:00.000Z' });
    await spec.apply([started, promoted, promoted, started], CLIENTS_FACTS);
    const e = await spec.db.collection<EngagementDoc>('an_engagements').findOne({ _id: 'e' });
    expect(e?.phases).toEqual([
      { phase: 1, from: '2026-03-02T12:00:00.000Z', skipped: [] },
      { phase: 3, from: '2026-03-05T09:00:00.000Z', skipped: [2] },
    ]);

    const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
    const drafted = envelope('invoice-ag-c-2026-03', 'InvoiceDrafted', 1, { invoiceId: 'i', clientId: 'c', period: '2026-03', currency: 'USD', lines: [], total: usd(5000) });
    const credit = envelope('invoice-ag-c-2026-03', 'CreditNoteIssued', 3, { creditNoteId: 'n', invoiceId: 'i', clientId: 'c', amount: usd(700), reason: 'r', issuedAt: '2026-03-31T00:00:00.000Z' });
    await spec.apply([drafted, credit, credit, drafted], INVOICES_PROJECTION);
    expect(await spec.db.collection<InvoiceDoc>('an_invoices').findOne({ _id: 'i' })).toMatchObject({ _v: 3, status: 'draft', creditedMinor: 700, total: usd(5000) });
  });
});
