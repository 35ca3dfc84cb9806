import { DeciderSpecification, describeIfMatch } from '@vaops/testing/decider';
import { schedulingPolicyStreamId, type SchedulingPolicyEvent } from './scheduling-policy';
import { schedulingPolicyDecider, type SchedulingPolicyCommand } from './scheduling-policy.decider';

const set = (allowOutsideWorkingHours: boolean): SchedulingPolicyCommand => ({ type: 'SetPolicy', data: { engagementId: 'e-1', allowOutsideWorkingHours } });
const policySet = (allowOutsideWorkingHours: boolean): SchedulingPolicyEvent => ({ type: 'SchedulingPolicySet', data: { engagementId: 'e-1', allowOutsideWorkingHours } });
const given = DeciderSpecification.for(schedulingPolicyDecider);

describe('scheduling policy decider', () => {
  it('keeps one stream per engagement', () => {
    expect(schedulingPolicyStreamId('e-1')).toBe('scheduling-policy-e-1');
  });

  describe('when no policy was set', () => {
    it("keeps appointments inside the assistant's working hours", () => {
      expect(given([]).state()).toEqual({ allowOutsideWorkingHours: false });
    });

    it('records allowing appointments outside working hours', () => {
      given([]).when(set(true)).then([policySet(true)]);
    });

    it('records nothing for the default (not allowed)', () => {
      given([]).when(set(false)).thenNothingHappened();
    });
  });

  describe('when appointments outside working hours are allowed', () => {
    const state = [policySet(true)];

    it('holds the last policy set', () => {
      expect(given(state).state()).toEqual({ allowOutsideWorkingHours: true });
      expect(given([...state, policySet(false)]).state()).toEqual({ allowOutsideWorkingHours: false });
    });

    it('records nothing for the same policy again (a retried or repeated request)', () => {
      given(state).when(set(true)).thenNothingHappened();
    });

    it('records taking the allowance back', () => {
      given(state).when(set(false)).then([policySet(false)]);
      given(state).when(set(false), set(true)).then([policySet(false), policySet(true)]);
    });

    it('records a copy, not the command it was given', () => {
      const command = set(false);
      const [event] = given(state).when(command).events();
      expect(event.data).not.toBe(command.data);
    });
  });

  describeIfMatch(schedulingPolicyDecider, schedulingPolicyStreamId('e-1'), {
    // the default is no change either
    changes: [
      [set(false), 0, 0],
      [set(true), 0, 1],
      [set(true), 1, 1],
      [set(false), 1, 2],
    ],
    stale: { first: set(true), refused: [[set(false), 0], [set(true), 0]] },
  });
});
