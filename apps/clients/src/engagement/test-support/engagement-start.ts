import type { EngagementStartedV1 } from '@vaops/contracts';

/** The hourly plan the engagement specs start with: USD 40.00 an hour. */
export const HOURLY_PLAN = { type: 'hourly', rate: { amountMinor: 4000, currency: 'USD' } } as const;

/** For specs: engagement e-1 of client c-1 and assistant a-1, part-time from Monday 2026-03-02, with `over` on top. */
export const engagementStart = (over: Partial<EngagementStartedV1> = {}): EngagementStartedV1 => ({
  engagementId: 'e-1',
  clientId: 'c-1',
  assistantId: 'a-1',
  kind: 'part-time',
  weeklyHours: 10,
  startsOn: '2026-03-02',
  noticePeriodDays: 14,
  phase: 1,
  plan: HOURLY_PLAN,
  ...over,
});
