import { defineDecider } from '@vaops/event-sourcing';
import { evolveSchedulingPolicy, initialSchedulingPolicyState, type SchedulingPolicyEvent, type SchedulingPolicyState } from './scheduling-policy';

export type SchedulingPolicyCommand = { type: 'SetPolicy'; data: { engagementId: string; allowOutsideWorkingHours: boolean } };

/** The policy it already has records nothing. */
export const schedulingPolicyDecider = defineDecider<SchedulingPolicyCommand, SchedulingPolicyEvent, SchedulingPolicyState>({
  initialState: initialSchedulingPolicyState,
  evolve: evolveSchedulingPolicy,
  decide: {
    SetPolicy(command, state) {
      return command.data.allowOutsideWorkingHours === state.allowOutsideWorkingHours ? [] : [{ type: 'SchedulingPolicySet', data: { ...command.data } }];
    },
  },
});
