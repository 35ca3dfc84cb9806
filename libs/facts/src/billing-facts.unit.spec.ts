import type { PublicEvent } from '@vaops/contracts';
import { approvedEntries, invoiceChanges, invoiceDrafted } from './billing-facts';

const metadata = { agencyId: 'ag', actor: { sub: 'u', role: 'agency-admin' as const }, correlationId: 'c', causationId: 'c', occurredAt: '2026-04-01T08:00:00.000Z' };
const envelope = <T extends string>(type: T, data: unknown) => ({ eventId: 'e', type, schemaVersion: 1, streamId: 's', version: 2, position: 9, metadata, data });

describe('billing facts', () => {
  it('drafts an invoice in draft with nothing credited', () => {
    const total = { amountMinor: 12_000, currency: 'EUR' };
    const lines = [{ engagementId: 'en', description: 'March', amount: total }];
    const e = envelope('InvoiceDrafted', { invoiceId: 'i', clientId: 'cl', period: '2026-03', currency: 'EUR', lines, total }) as unknown as PublicEvent<'InvoiceDrafted'>;
    expect(invoiceDrafted(e)).toEqual({ agencyId: 'ag', clientId: 'cl', period: '2026-03', status: 'draft', currency: 'EUR', lines, total, creditedMinor: 0 });
  });

  it('moves the status on issue, payment and void, and adds each credit note once per event', () => {
    expect(invoiceChanges.InvoiceIssued()).toEqual({ $set: { status: 'issued' } });
    expect(invoiceChanges.InvoicePaid()).toEqual({ $set: { status: 'paid' } });
    expect(invoiceChanges.InvoiceVoided()).toEqual({ $set: { status: 'void' } });
    const credit = envelope('CreditNoteIssued', { creditNoteId: 'n', invoiceId: 'i', clientId: 'cl', amount: { amountMinor: 250, currency: 'EUR' }, reason: 'r', issuedAt: metadata.occurredAt }) as unknown as PublicEvent<'CreditNoteIssued'>;
    expect(invoiceChanges.CreditNoteIssued(credit)).toEqual({ $inc: { creditedMinor: 250 } });
  });

  it('makes one document per approved entry, unbillable time at zero minutes', () => {
    const e = envelope('TimesheetApproved', {
      engagementId: 'en',
      assistantId: 'as',
      clientId: 'cl',
      isoWeek: '2026-W14',
      entries: [
        { entryId: 'x1', month: '2026-04', billedMinutes: 90, billable: true, adjusts: null },
        { entryId: 'x2', month: '2026-04', billedMinutes: 30, billable: false, adjusts: 'x0' },
      ],
    }) as unknown as PublicEvent<'TimesheetApproved'>;
    expect(approvedEntries(e)).toEqual([
      { entryId: 'x1', adjusts: null, $set: { agencyId: 'ag', assistantId: 'as', clientId: 'cl', engagementId: 'en', month: '2026-04', billedMinutes: 90, billable: true } },
      { entryId: 'x2', adjusts: 'x0', $set: { agencyId: 'ag', assistantId: 'as', clientId: 'cl', engagementId: 'en', month: '2026-04', billedMinutes: 0, billable: false } },
    ]);
  });
});
