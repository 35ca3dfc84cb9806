import { deciderSpec } from '@vaops/event-sourcing';
import { payoutDecider, type PayoutEvent } from './payout';

const payout = (billedMinutes: number, amountMinor: number) => ({ assistantId: 'a', period: '2026-03', billedMinutes, amount: { amountMinor, currency: 'USD' } });
const { when } = deciderSpec(payoutDecider);

describe('payout decider', () => {
  it('records the first computation of a period', () => {
    expect(when([], { type: 'ComputePayout', data: payout(97, 1940) })).toEqual([{ type: 'PayoutComputed', data: payout(97, 1940) }]);
  });

  describe('when the payout was computed', () => {
    const state: PayoutEvent[] = [{ type: 'PayoutComputed', data: payout(97, 1940) }];
    it('records nothing for the same figures (a re-run)', () => {
      expect(when(state, { type: 'ComputePayout', data: payout(97, 1940) })).toEqual([]);
    });
    it('records a new computation when the figures changed', () => {
      expect(when(state, { type: 'ComputePayout', data: payout(127, 2540) })).toEqual([{ type: 'PayoutComputed', data: payout(127, 2540) }]);
    });
  });
});
