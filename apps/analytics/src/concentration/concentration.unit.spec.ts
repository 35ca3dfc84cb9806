import { concentrationOf } from './concentration';

const row = (clientId: string, month: string, billedMinutes: number, billable = true) => ({ clientId, month, billedMinutes, billable });

describe('income concentration', () => {
  const rate = { amountMinor: 1500, currency: 'USD' };

  it('splits approved billable minutes by client, largest first, and pays per month', () => {
    const v = concentrationOf('a', '2026', rate, [row('c1', '2026-03', 90), row('c2', '2026-03', 45), row('c1', '2026-04', 30), row('c2', '2026-03', -15), row('c3', '2026-03', 0, false)]);
    // c1 120, c2 30 of 150: 0.8 / 0.2; income: March 120 min = 3000, April 30 min = 750
    expect(v).toEqual({
      assistantId: 'a',
      period: '2026',
      totalBilledMinutes: 150,
      income: { amountMinor: 3750, currency: 'USD' },
      clients: [
        { clientId: 'c1', billedMinutes: 120, share: 0.8 },
        { clientId: 'c2', billedMinutes: 30, share: 0.2 },
      ],
      largestClientShare: 0.8,
    });
  });

  it('rounds shares to 4 decimals and is 0 without clients', () => {
    const thirds = concentrationOf('a', '2026-03', rate, [row('x', '2026-03', 10), row('y', '2026-03', 10), row('z', '2026-03', 10)]);
    expect(thirds.clients.map((c) => c.share)).toEqual([0.3333, 0.3333, 0.3333]);
    expect(thirds.largestClientShare).toBe(0.3333);
    expect(concentrationOf('a', '2026-03', rate, [])).toEqual({ assistantId: 'a', period: '2026-03', totalBilledMinutes: 0, income: { amountMinor: 0, currency: 'USD' }, clients: [], largestClientShare: 0 });
  });
});
