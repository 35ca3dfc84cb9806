import type { HandoverPlannedV1 } from '@vaops/contracts';
import { DomainError } from '@vaops/event-sourcing';
import { DeciderSpecification } from '@vaops/testing/decider';
import type { EngagementEvent } from '../engagement';
import { engagementDecider, type EngagementCommand } from '../engagement.decider';
import { engagementStart } from '../test-support/engagement-start';

const start = engagementStart({ phase: 2 });
const started: EngagementEvent = { type: 'EngagementStarted', data: start };
const notice: EngagementEvent = { type: 'EngagementNoticeGiven', data: { engagementId: 'e-1', by: 'assistant', reason: 'moving on', givenAt: '2026-03-10T09:00:00Z', endsOn: '2026-03-24' } };
const now = '2026-03-11T09:00:00Z';
const plan = (over: Partial<Extract<EngagementCommand, { type: 'PlanHandover' }>['data']> = {}): EngagementCommand => ({
  type: 'PlanHandover',
  data: { newEngagementId: 'e-2', replacementAssistantId: 'a-2', handoverOn: '2026-03-16', startingPhase: 2, today: '2026-03-11', now, ...over },
});
const planned: HandoverPlannedV1 = {
  engagementId: 'e-1',
  newEngagementId: 'e-2',
  clientId: 'c-1',
  outgoingAssistantId: 'a-1',
  replacementAssistantId: 'a-2',
  handoverOn: '2026-03-16',
  startingPhase: 2,
  endsOn: '2026-03-24',
  plannedAt: now,
};
const cancel = (today = '2026-03-12'): EngagementCommand => ({ type: 'CancelHandover', data: { by: 'assistant', reason: 'cannot after all', today, now: `${today}T10:00:00Z` } });
const given = DeciderSpecification.for(engagementDecider);

describe('handover (engagement decider)', () => {
  describe('when the engagement is active (no notice)', () => {
    it('refuses a handover', () => {
      given([started]).when(plan()).thenThrows(DomainError, 'HANDOVER.NOT_IN_NOTICE');
    });
  });

  describe('when the engagement is in notice', () => {
    const state = [started, notice];

    it('plans the handover with the new engagement, the day and the starting phase', () => {
      given(state).when(plan()).then([{ type: 'HandoverPlanned', data: planned }]);
      given(state).when(plan({ startingPhase: 1 })).thenMatches([{ data: { startingPhase: 1 } }]);
    });

    it('accepts today and the day before the end; refuses the past, the end day and later', () => {
      given(state).when(plan({ handoverOn: '2026-03-11' })).thenMatches([{ data: { handoverOn: '2026-03-11' } }]);
      given(state).when(plan({ handoverOn: '2026-03-23' })).thenMatches([{ data: { handoverOn: '2026-03-23' } }]);
      for (const handoverOn of ['2026-03-10', '2026-03-24', '2026-04-01']) {
        given(state).when(plan({ handoverOn })).thenThrows(DomainError, 'HANDOVER.DATE_OUTSIDE_NOTICE');
      }
    });

    it('refuses the outgoing assistant as the replacement', () => {
      given(state).when(plan({ replacementAssistantId: 'a-1' })).thenThrows(DomainError, 'HANDOVER.SAME_ASSISTANT');
    });

    it('refuses a starting phase above the current one', () => {
      given(state).when(plan({ startingPhase: 3 })).thenThrows(DomainError, 'HANDOVER.PHASE_ABOVE_CURRENT');
    });

    it('has no handover to cancel', () => {
      given(state).when(cancel()).thenThrows(DomainError, 'HANDOVER.NOT_PLANNED');
    });
  });

  describe('when a handover is planned', () => {
    const state = [started, notice, { type: 'HandoverPlanned', data: planned } as EngagementEvent];

    it('takes the same plan again as a retry, and refuses a second handover', () => {
      given(state).when(plan()).thenNothingHappened();
      given(state).when(plan({ newEngagementId: 'e-3', replacementAssistantId: 'a-3' })).thenThrows(DomainError, 'HANDOVER.ALREADY_PLANNED');
    });

    it('cancels it before its day, and takes a second cancellation as a retry', () => {
      const cancelled = given(state).when(cancel());
      cancelled.then([{ type: 'HandoverCancelled', data: { engagementId: 'e-1', newEngagementId: 'e-2', by: 'assistant', reason: 'cannot after all', cancelledAt: '2026-03-12T10:00:00Z' } }]);
      given(cancelled.history()).when(cancel()).thenNothingHappened();
    });

    it('refuses a cancellation on or after the handover day', () => {
      given(state).when(cancel('2026-03-16')).thenThrows(DomainError, 'HANDOVER.ALREADY_STARTED');
    });

    it('plans a new handover once the standing one is cancelled', () => {
      const cancelled = given(state).when(cancel()).history();
      given(cancelled).when(plan({ newEngagementId: 'e-3', replacementAssistantId: 'a-3', handoverOn: '2026-03-18' })).thenMatches([{ type: 'HandoverPlanned', data: { newEngagementId: 'e-3' } }]);
    });
  });

  describe('the replacement engagement of a cancelled handover', () => {
    const replacement: EngagementEvent = { type: 'EngagementStarted', data: { ...start, engagementId: 'e-2', assistantId: 'a-2', startsOn: '2026-03-16', handoverOf: 'e-1' } };
    const withdraw = (today: string): EngagementCommand => ({ type: 'WithdrawBeforeStart', data: { reason: 'handover cancelled: x', today } });

    it('ends on its first day without having started, once', () => {
      const ended = given([replacement]).when(withdraw('2026-03-12'));
      ended.then([{ type: 'EngagementEnded', data: { engagementId: 'e-2', endedBy: 'notice', endedOn: '2026-03-16', breachBy: null, reason: 'handover cancelled: x', cancelledBeforeStart: true } }]);
      given(ended.history()).when(withdraw('2026-03-12')).thenNothingHappened();
    });

    it('is not withdrawn once it has started', () => {
      given([replacement]).when(withdraw('2026-03-16')).thenThrows(DomainError, 'HANDOVER.ALREADY_STARTED');
    });
  });
});
