import { fold } from '@vaops/event-sourcing';
import { payoutDecider, type PayoutEvent } from './payout';

const payout = (billedMinutes: number, amountMinor: number) => ({ assistantId: 'a', period: '2026-03', billedMinutes, amount: { amountMinor, currency: 'USD' } });
const given = (...events: PayoutEvent[]) => fold(payoutDecider, events);

describe('payout decider', () => {
  it('records the first computation of a period', () => {
    expect(payoutDecider.decide({ type: 'ComputePayout', data: payout(97, 1940) }, given())).toEqual([{ type: 'PayoutComputed', data: payout(97, 1940) }]);
  });

  describe('when the payout was computed', () => {
    const state = given({ type: 'PayoutComputed', data: payout(97, 1940) });
    it('records nothing for the same figures (a re-run)', () => {
      expect(payoutDecider.decide({ type: 'ComputePayout', data: payout(97, 1940) }, state)).toEqual([]);
    });
    it('records a new computation when the figures changed', () => {
      expect(payoutDecider.decide({ type: 'ComputePayout', data: payout(127, 2540) }, state)).toEqual([{ type: 'PayoutComputed', data: payout(127, 2540) }]);
    });
  });
});
