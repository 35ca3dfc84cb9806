import type { Decider } from '@vaops/event-sourcing';

/** The agency's scheduling exceptions for one engagement. Private: not a public event. */
export type SchedulingPolicyEvent = { type: 'SchedulingPolicySet'; data: { engagementId: string; allowOutsideWorkingHours: boolean } };
export type SchedulingPolicyState = { allowOutsideWorkingHours: boolean };
export type SchedulingPolicyCommand = { type: 'SetPolicy'; data: { engagementId: string; allowOutsideWorkingHours: boolean } };

export const schedulingPolicyStreamId = (engagementId: string): string => `scheduling-policy-${engagementId}`;

export const schedulingPolicyDecider: Decider<SchedulingPolicyCommand, SchedulingPolicyEvent, SchedulingPolicyState> = {
  initialState: () => ({ allowOutsideWorkingHours: false }),
  evolve: (_state, event) => ({ allowOutsideWorkingHours: event.data.allowOutsideWorkingHours }),
  decide: (command, state) =>
    command.data.allowOutsideWorkingHours === state.allowOutsideWorkingHours ? [] : [{ type: 'SchedulingPolicySet', data: { ...command.data } }],
};
