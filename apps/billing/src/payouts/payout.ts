import type { PayoutComputedV1 } from '@vaops/contracts';

// ---------------------------------------------------------------- events

export type PayoutEvent = { type: 'PayoutComputed'; data: PayoutComputedV1 };

// ---------------------------------------------------------------- state

export type PayoutState = { payout: PayoutComputedV1 | null };

export const initialPayoutState = (): PayoutState => ({ payout: null });

export const evolvePayout = (_state: PayoutState, event: PayoutEvent): PayoutState => ({ payout: event.data });

/** One stream per agency, assistant and period: the payout as last computed by a billing run. */
export const payoutStreamId = (agencyId: string, assistantId: string, period: string): string => `payout-${agencyId}-${assistantId}-${period}`;
