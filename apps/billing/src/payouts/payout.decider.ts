import type { PayoutComputedV1 } from '@vaops/contracts';
import type { Decider } from '@vaops/event-sourcing';
import { evolvePayout, initialPayoutState, type PayoutEvent, type PayoutState } from './payout';

export type PayoutCommand = { type: 'ComputePayout'; data: PayoutComputedV1 };

/** A re-run that finds the same figures records nothing; changed figures (late time) are a new computation. */
export function decidePayout(command: PayoutCommand, state: PayoutState): PayoutEvent[] {
  const p = state.payout;
  const same = p !== null && p.billedMinutes === command.data.billedMinutes && p.amount.amountMinor === command.data.amount.amountMinor && p.amount.currency === command.data.amount.currency;
  return same ? [] : [{ type: 'PayoutComputed', data: { ...command.data, amount: { ...command.data.amount } } }];
}

export const payoutDecider: Decider<PayoutCommand, PayoutEvent, PayoutState> = {
  initialState: initialPayoutState,
  evolve: evolvePayout,
  decide: decidePayout,
};
