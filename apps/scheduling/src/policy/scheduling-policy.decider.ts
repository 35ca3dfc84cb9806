import type { Decider } from '@vaops/event-sourcing';
import { evolveSchedulingPolicy, initialSchedulingPolicyState, type SchedulingPolicyEvent, type SchedulingPolicyState } from './scheduling-policy';

export type SchedulingPolicyCommand = { type: 'SetPolicy'; data: { engagementId: string; allowOutsideWorkingHours: boolean } };

/** The policy it already has records nothing. */
export function decideSchedulingPolicy(command: SchedulingPolicyCommand, state: SchedulingPolicyState): SchedulingPolicyEvent[] {
  return command.data.allowOutsideWorkingHours === state.allowOutsideWorkingHours ? [] : [{ type: 'SchedulingPolicySet', data: { ...command.data } }];
}

export const schedulingPolicyDecider: Decider<SchedulingPolicyCommand, SchedulingPolicyEvent, SchedulingPolicyState> = {
  initialState: initialSchedulingPolicyState,
  evolve: evolveSchedulingPolicy,
  decide: decideSchedulingPolicy,
};
