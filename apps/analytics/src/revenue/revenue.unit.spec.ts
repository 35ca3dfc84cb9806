import { costOf, revenueView } from './revenue';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const invoice = (status: 'draft' | 'issued' | 'paid' | 'void', total: number, creditedMinor = 0) => ({ status, total: usd(total), creditedMinor });
const time = (month: string, assistantId: string, billedMinutes: number, billable = true) => ({ month, assistantId, billedMinutes, billable });

describe('revenue and margin of a client', () => {
  const rates = new Map([
    ['a', usd(1200)],
    ['b', usd(1999)],
  ]);

  it('takes non-void invoices less credit notes, and pays each assistant once per month (billing’s rule)', () => {
    const v = revenueView('c', '2026-03', 'USD', [invoice('paid', 6467), invoice('issued', 99441, 1000), invoice('void', 5000)], [time('2026-03', 'a', 90), time('2026-03', 'a', 7), time('2026-03', 'b', 7)], rates);
    // revenue 6467 + 99441 - 1000 = 104908; cost a: 97 min × 1200/60 = 1940, b: 7 × 1999/60 = 233.2 -> 233
    expect(v).toEqual({ clientId: 'c', period: '2026-03', currency: 'USD', revenue: usd(104908), cost: usd(2173), margin: usd(102735), marginPercent: 97.93 });
  });

  it('rounds per month and assistant, not per entry', () => {
    // 3 entries of 7 min at 19.99: once per entry would be 3 × 233 = 699; once for 21 min: 699.65 -> 700
    expect(costOf([time('2026-03', 'b', 7), time('2026-03', 'b', 7), time('2026-03', 'b', 7)], rates).single('USD')).toEqual(usd(700));
    // a year: each month rounded on its own, then added (so a year is the sum of its months)
    expect(costOf([time('2026-03', 'b', 7), time('2026-04', 'b', 7)], rates).single('USD')).toEqual(usd(466));
  });

  it('counts signed adjustments, ignores non-billable time and assistants without a known pay rate', () => {
    expect(costOf([time('2026-03', 'a', 60), time('2026-03', 'a', -15), time('2026-03', 'a', 0, false), time('2026-03', 'x', 600)], rates).single('USD')).toEqual(usd(900));
  });

  it('has no margin across currencies and no percentage without revenue', () => {
    const eur = new Map([['a', { amountMinor: 1000, currency: 'EUR' }]]);
    expect(revenueView('c', '2026', 'USD', [invoice('draft', 5000)], [time('2026-01', 'a', 60)], eur)).toMatchObject({ revenue: usd(5000), cost: { amountMinor: 1000, currency: 'EUR' }, margin: null, marginPercent: null });
    expect(revenueView('c', '2026-03', 'USD', [], [time('2026-03', 'a', 60)], rates)).toMatchObject({ revenue: usd(0), cost: usd(1200), margin: usd(-1200), marginPercent: null });
  });
});
