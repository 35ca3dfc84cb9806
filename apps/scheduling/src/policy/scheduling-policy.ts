// ---------------------------------------------------------------- events

/** The agency's scheduling exceptions for one engagement. Private: not a public event. */
export type SchedulingPolicyEvent = { type: 'SchedulingPolicySet'; data: { engagementId: string; allowOutsideWorkingHours: boolean } };

// ---------------------------------------------------------------- state

export type SchedulingPolicyState = { allowOutsideWorkingHours: boolean };

export const initialSchedulingPolicyState = (): SchedulingPolicyState => ({ allowOutsideWorkingHours: false });

export const evolveSchedulingPolicy = (_state: SchedulingPolicyState, event: SchedulingPolicyEvent): SchedulingPolicyState => ({
  allowOutsideWorkingHours: event.data.allowOutsideWorkingHours,
});

export const schedulingPolicyStreamId = (engagementId: string): string => `scheduling-policy-${engagementId}`;
