import type { ApprovedEntryDoc } from '../facts/approved-time.projection';
import { termsOf, usageOf } from './billing-run';
import { activeDays, billEngagement, feeDays } from './calculation';
import { escapeHtml } from './invoice-details/invoice.html';

const row = (month: string, billedMinutes: number, approvedAt: string, over: Partial<ApprovedEntryDoc> = {}): ApprovedEntryDoc => ({
  _id: `${month}-${billedMinutes}-${approvedAt}`,
  _v: 1,
  agencyId: 'ag',
  engagementId: 'e1',
  assistantId: 'a',
  clientId: 'c',
  month,
  billedMinutes,
  billable: true,
  adjusts: null,
  approvedAt,
  ...over,
});

describe('usageOf', () => {
  const rows = [
    row('2026-03', 90, '2026-03-20T00:00:00Z'),
    row('2026-03', -7, '2026-03-21T00:00:00Z', { adjusts: 'x' }),
    row('2026-03', 30, '2026-03-21T00:00:00Z', { billable: false }),
    row('2026-02', 60, '2026-02-27T00:00:00Z'),
    row('2026-02', 45, '2026-03-03T10:00:00Z'),
    row('2026-03', 500, '2026-03-03T10:00:00Z', { engagementId: 'other' }),
  ];

  it('sums approved billable minutes of the period and the previous month, adjustments signed', () => {
    expect(usageOf('e1', '2026-03', rows, [])).toEqual({ billedMinutes: 83, previousMonthMinutes: 105, late: [] });
  });

  it('puts time of the previous month approved after its invoice was drafted on a dated late line', () => {
    expect(usageOf('e1', '2026-03', rows, [{ period: '2026-02', draftedAt: '2026-03-01T00:00:00Z' }]).late).toEqual([{ month: '2026-02', billedMinutes: 45, approvedOn: '2026-03-03' }]);
  });

  it('bills time of an older invoiced month approved after the latest invoice, once, as a dated line per month', () => {
    const history = [
      row('2026-01', 20, '2026-03-10T00:00:00Z'), // January, approved in March: on no invoice yet
      row('2026-01', 15, '2026-02-10T00:00:00Z'), // approved in February: went on the February invoice
      row('2026-02', 45, '2026-03-03T10:00:00Z'),
    ];
    const invoices = [
      { period: '2026-01', draftedAt: '2026-02-01T00:00:00Z' },
      { period: '2026-02', draftedAt: '2026-03-01T00:00:00Z' },
    ];
    expect(usageOf('e1', '2026-03', history, invoices).late).toEqual([
      { month: '2026-01', billedMinutes: 20, approvedOn: '2026-03-10' },
      { month: '2026-02', billedMinutes: 45, approvedOn: '2026-03-03' },
    ]);
  });

  it('leaves time of a month that was never invoiced to the billing run of that month', () => {
    expect(usageOf('e1', '2026-03', [row('2025-12', 30, '2026-03-05T00:00:00Z')], [{ period: '2026-02', draftedAt: '2026-03-01T00:00:00Z' }]).late).toEqual([]);
  });
});

describe('termsOf', () => {
  const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
  const retainer = { type: 'retainer' as const, monthlyFee: usd(124000), includedHours: 10, overageRate: usd(5000), rollover: false };
  const engagement = (endsOn: string | null) => ({ _id: 'e1', assistantId: 'a', startsOn: '2026-03-01', endsOn, plans: [{ effectiveOn: '2026-03-01', plan: retainer }] });

  it('bills an engagement whose notice ends it on 20 March up to the 19th: the end date is no longer an active day', () => {
    const terms = termsOf(engagement('2026-03-20'));
    expect(terms.endsOn).toBe('2026-03-19');
    expect(activeDays(terms, '2026-03')).toBe(19);
    // fee 1240.00 × 19/31 = 760.00; included 600 min × 19/31 = 367.74 → 368; 630 used: 262 min at 50.00 = 218.33
    const bill = billEngagement(terms, '2026-03', { billedMinutes: 630, previousMonthMinutes: 0, late: [] }, 'USD');
    expect(bill.lines[0]).toMatchObject({ amount: usd(76000 + 21833), description: expect.stringContaining('prorated 19/31 days') });
  });

  it('keeps a running engagement open-ended, and gives one broken off on its first day no active day', () => {
    expect(termsOf(engagement(null)).endsOn).toBeNull();
    expect(activeDays(termsOf(engagement('2026-03-01')), '2026-03')).toBe(0);
    // ends on 1 April: every day of March was active
    expect(activeDays(termsOf(engagement('2026-04-01')), '2026-03')).toBe(31);
  });

  it('splits a handed-over retainer by days: the outgoing engagement until the day before the handover, the replacement from it', () => {
    // notice ends the outgoing engagement on 25 March; the replacement starts on 16 March
    const outgoing = termsOf({ ...engagement('2026-03-25'), handoverOn: '2026-03-16' });
    const replacement = termsOf({ ...engagement(null), _id: 'e2', startsOn: '2026-03-16', handoverOn: null });
    expect([outgoing.endsOn, outgoing.feeEndsOn, activeDays(outgoing, '2026-03'), feeDays(outgoing, '2026-03')]).toEqual(['2026-03-24', '2026-03-15', 24, 15]);
    expect(feeDays(replacement, '2026-03')).toBe(16);
    // 15 + 16 = 31 days: the fee 1240.00 once over the month (600.00 + 640.00), included 600 min split 290 + 310
    const out = billEngagement(outgoing, '2026-03', { billedMinutes: 290, previousMonthMinutes: 0, late: [] }, 'USD');
    const rep = billEngagement(replacement, '2026-03', { billedMinutes: 310, previousMonthMinutes: 0, late: [] }, 'USD');
    expect(out.lines[0]).toMatchObject({ amount: usd(60000), description: expect.stringContaining('prorated 15/31 days, handed over on 2026-03-16') });
    expect(rep.lines[0]).toMatchObject({ amount: usd(64000), description: expect.stringContaining('prorated 16/31 days') });
    // time the outgoing assistant still logs after the handover is overage on its own engagement
    expect(billEngagement(outgoing, '2026-03', { billedMinutes: 350, previousMonthMinutes: 0, late: [] }, 'USD').lines[0].amount).toEqual(usd(60000 + 5000));
    // a month wholly after the handover bills no fee on the outgoing engagement; a cancelled handover (null) bills the notice
    expect(billEngagement(termsOf({ ...engagement('2026-04-10'), handoverOn: '2026-03-16' }), '2026-04', { billedMinutes: 0, previousMonthMinutes: 0, late: [] }, 'USD').lines).toEqual([]);
    expect(feeDays(termsOf({ ...engagement('2026-03-25'), handoverOn: null }), '2026-03')).toBe(24);
    // a handover on the notice's last day changes nothing for the outgoing fee; a document from before the field, no handover
    expect(feeDays(termsOf({ ...engagement('2026-03-25'), handoverOn: '2026-03-25' }), '2026-03')).toBe(24);
    expect(feeDays(termsOf(engagement('2026-03-25')), '2026-03')).toBe(24);
  });
});

describe('escapeHtml', () => {
  it('escapes every character that could open markup or an attribute', () => {
    expect(escapeHtml(`<script>alert("x" & 'y')</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
  });
});
