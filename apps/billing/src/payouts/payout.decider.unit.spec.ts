import { DeciderSpecification } from '@vaops/testing/decider';
import type { PayoutEvent } from './payout';
import { payoutDecider } from './payout.decider';

const payout = (billedMinutes: number, amountMinor: number) => ({ assistantId: 'a', period: '2026-03', billedMinutes, amount: { amountMinor, currency: 'USD' } });
const given = DeciderSpecification.for(payoutDecider);

describe('payout decider', () => {
  it('records the first computation of a period', () => {
    given([]).when({ type: 'ComputePayout', data: payout(97, 1940) }).then([{ type: 'PayoutComputed', data: payout(97, 1940) }]);
  });

  describe('when the payout was computed', () => {
    const state: PayoutEvent[] = [{ type: 'PayoutComputed', data: payout(97, 1940) }];
    it('records nothing for the same figures (a re-run)', () => {
      given(state).when({ type: 'ComputePayout', data: payout(97, 1940) }).thenNothingHappened();
    });
    it('records a new computation when the figures changed', () => {
      given(state).when({ type: 'ComputePayout', data: payout(127, 2540) }).then([{ type: 'PayoutComputed', data: payout(127, 2540) }]);
    });
  });
});
