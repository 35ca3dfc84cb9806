import type { PayoutComputedV1 } from '@vaops/contracts';
import type { Decider } from '@vaops/event-sourcing';

export type PayoutEvent = { type: 'PayoutComputed'; data: PayoutComputedV1 };
export type PayoutState = { payout: PayoutComputedV1 | null };
export type PayoutCommand = { type: 'ComputePayout'; data: PayoutComputedV1 };

/** One stream per agency, assistant and period: the payout as last computed by a billing run. */
export const payoutStreamId = (agencyId: string, assistantId: string, period: string): string => `payout-${agencyId}-${assistantId}-${period}`;

/** A re-run that finds the same figures records nothing; changed figures (late time) are a new computation. */
export const payoutDecider: Decider<PayoutCommand, PayoutEvent, PayoutState> = {
  initialState: () => ({ payout: null }),
  evolve: (_state, event) => ({ payout: event.data }),
  decide: (command, state) => {
    const p = state.payout;
    const same = p !== null && p.billedMinutes === command.data.billedMinutes && p.amount.amountMinor === command.data.amount.amountMinor && p.amount.currency === command.data.amount.currency;
    return same ? [] : [{ type: 'PayoutComputed', data: { ...command.data, amount: { ...command.data.amount } } }];
  },
};
