import { DomainError } from '@vaops/event-sourcing';
import { DeciderSpecification } from '@vaops/testing/decider';
import type { EngagementEvent } from './engagement';
import { engagementDecider, type EngagementCommand } from './engagement.decider';
import { engagementStart } from './test-support/engagement-start';

const start = engagementStart();
const started: EngagementEvent = { type: 'EngagementStarted', data: start };
const admin = { sub: 'admin', role: 'agency-admin' };
const given = DeciderSpecification.for(engagementDecider);

describe('engagement decider', () => {
  describe('when nothing exists yet', () => {
    it('starts an engagement whose plan is in the client currency', () => {
      given([]).when({ type: 'StartEngagement', data: { ...start, clientCurrency: 'USD' } }).then([started]);
    });

    it('refuses a plan in another currency than the client', () => {
      given([]).when({ type: 'StartEngagement', data: { ...start, clientCurrency: 'EUR' } }).thenThrows(DomainError, 'ENGAGEMENT.CURRENCY_MISMATCH');
      const retainer = { type: 'retainer' as const, monthlyFee: { amountMinor: 100000, currency: 'EUR' }, includedHours: 20, overageRate: { amountMinor: 5000, currency: 'USD' }, rollover: true };
      given([]).when({ type: 'StartEngagement', data: { ...start, plan: retainer, clientCurrency: 'EUR' } }).thenThrows(DomainError, 'ENGAGEMENT.CURRENCY_MISMATCH');
    });

    it('has nothing to give notice on', () => {
      given([]).when({ type: 'GiveNotice', data: { by: 'client', reason: 'x', now: '2026-03-03T00:00:00Z', today: '2026-03-03' } }).thenThrows(DomainError, 'ENGAGEMENT.NOT_FOUND');
    });
  });

  describe('when the engagement is active', () => {
    const state: EngagementEvent[] = [started];

    it('is idempotent for a roll-forward of the same start', () => {
      given(state).when({ type: 'StartEngagement', data: { ...start, clientCurrency: 'USD' } }).thenNothingHappened();
    });

    it('records a promotion with who decided and why, and names skipped phases', () => {
      given(state)
        .when({ type: 'ChangePhase', data: { to: 3, reason: 'runs the calendar well', decidedBy: admin, now: '2026-04-01T10:00:00Z' } })
        .then([{ type: 'EngagementPhaseChanged', data: { engagementId: 'e-1', from: 1, to: 3, skipped: [2], reason: 'runs the calendar well', decidedBy: admin, effectiveAt: '2026-04-01T10:00:00Z' } }]);
    });

    it('records a demotion, and refuses a change to the same phase', () => {
      const inTwo: EngagementEvent[] = [started, { type: 'EngagementPhaseChanged', data: { engagementId: 'e-1', from: 1, to: 2, skipped: [], reason: 'r', decidedBy: admin, effectiveAt: '2026-03-10T00:00:00Z' } }];
      given(inTwo).when({ type: 'ChangePhase', data: { to: 1, reason: 'missed deadlines', decidedBy: admin, now: '2026-04-01T00:00:00Z' } }).thenMatches([{ data: { from: 2, to: 1, skipped: [] } }]);
      given(inTwo).when({ type: 'ChangePhase', data: { to: 2, reason: 'r', decidedBy: admin, now: '2026-04-01T00:00:00Z' } }).thenThrows(DomainError, 'ENGAGEMENT.PHASE_UNCHANGED');
    });

    it('changes the plan from today or later, never in the past', () => {
      const plan = { type: 'hourly' as const, rate: { amountMinor: 4500, currency: 'USD' } };
      given(state).when({ type: 'ChangePlan', data: { plan, effectiveOn: '2026-05-01', clientCurrency: 'USD', today: '2026-04-20' } }).then([
        { type: 'EngagementPlanChanged', data: { engagementId: 'e-1', plan, effectiveOn: '2026-05-01' } },
      ]);
      given(state).when({ type: 'ChangePlan', data: { plan, effectiveOn: '2026-04-19', clientCurrency: 'USD', today: '2026-04-20' } }).thenThrows(DomainError, 'ENGAGEMENT.PLAN_RETROACTIVE');
      given(state).when({ type: 'ChangePlan', data: { plan: { type: 'hourly', rate: { amountMinor: 1, currency: 'GBP' } }, effectiveOn: '2026-05-01', clientCurrency: 'USD', today: '2026-04-20' } }).thenThrows(DomainError, 'ENGAGEMENT.CURRENCY_MISMATCH');
    });

    it('takes notice from either side and ends when the period has run', () => {
      given(state)
        .when({ type: 'GiveNotice', data: { by: 'assistant', reason: 'moving on', now: '2026-04-01T09:00:00Z', today: '2026-04-01' } })
        .then([{ type: 'EngagementNoticeGiven', data: { engagementId: 'e-1', by: 'assistant', reason: 'moving on', givenAt: '2026-04-01T09:00:00Z', endsOn: '2026-04-15' } }]);
    });

    it('does not end without notice: only a recorded breach ends it at once', () => {
      given(state).when({ type: 'EndAfterNotice', data: { today: '2026-12-31' } }).thenThrows(DomainError, 'ENGAGEMENT.NOTICE_REQUIRED');
      given(state).when({ type: 'RecordBreach', data: { by: 'assistant', reason: 'disappeared', today: '2026-04-02' } }).then([
        { type: 'EngagementEnded', data: { engagementId: 'e-1', endedBy: 'breach', endedOn: '2026-04-02', breachBy: 'assistant', reason: 'disappeared' } },
      ]);
    });

    it('logs a communication, but not one in the future', () => {
      given(state)
        .when({ type: 'LogCommunication', data: { channel: 'call', occurredAt: '2026-03-05T15:00:00Z', summary: 'weekly call', now: '2026-03-05T16:00:00Z' } })
        .thenMatches([{ type: 'CommunicationLogged' }]);
      given(state).when({ type: 'LogCommunication', data: { channel: 'call', occurredAt: '2026-03-06T15:00:00Z', summary: 'x', now: '2026-03-05T16:00:00Z' } }).thenThrows(DomainError, 'COMMUNICATION.IN_FUTURE');
    });
  });

  describe('when notice has been given', () => {
    const state: EngagementEvent[] = [started, { type: 'EngagementNoticeGiven', data: { engagementId: 'e-1', by: 'client', reason: 'budget', givenAt: '2026-04-01T09:00:00Z', endsOn: '2026-04-15' } }];

    it('refuses a second notice', () => {
      given(state).when({ type: 'GiveNotice', data: { by: 'assistant', reason: 'x', now: '2026-04-02T00:00:00Z', today: '2026-04-02' } }).thenThrows(DomainError, 'ENGAGEMENT.ALREADY_IN_NOTICE');
    });

    it('does not end before the period has run, and ends on its last day', () => {
      given(state).when({ type: 'EndAfterNotice', data: { today: '2026-04-14' } }).thenThrows(DomainError, 'ENGAGEMENT.NOTICE_RUNNING');
      given(state).when({ type: 'EndAfterNotice', data: { today: '2026-04-16' } }).then([
        { type: 'EngagementEnded', data: { engagementId: 'e-1', endedBy: 'notice', endedOn: '2026-04-15', breachBy: null, reason: null } },
      ]);
    });

    it('can still be ended at once as a breach', () => {
      given(state).when({ type: 'RecordBreach', data: { by: 'client', reason: 'stopped paying', today: '2026-04-03' } }).thenMatches([{ data: { endedBy: 'breach', breachBy: 'client' } }]);
    });
  });

  describe('when the engagement has ended', () => {
    const state: EngagementEvent[] = [started, { type: 'EngagementEnded', data: { engagementId: 'e-1', endedBy: 'breach', endedOn: '2026-04-02', breachBy: 'client', reason: 'r' } }];

    it.each<EngagementCommand>([
      { type: 'ChangePhase', data: { to: 2, reason: 'r', decidedBy: admin, now: '2026-05-01T00:00:00Z' } },
      { type: 'GiveNotice', data: { by: 'client', reason: 'r', now: '2026-05-01T00:00:00Z', today: '2026-05-01' } },
      { type: 'RecordBreach', data: { by: 'client', reason: 'r', today: '2026-05-01' } },
      { type: 'LogCommunication', data: { channel: 'message', occurredAt: '2026-05-01T00:00:00Z', summary: 's', now: '2026-05-01T00:00:00Z' } },
    ])('refuses $type with ENGAGEMENT.ENDED', (command) => {
      given(state).when(command).thenThrows(DomainError, 'ENGAGEMENT.ENDED');
    });

    it('lets the scheduler ask to end it again without effect', () => {
      given(state).when({ type: 'EndAfterNotice', data: { today: '2026-05-01' } }).thenNothingHappened();
    });

    it('raises no silence alert', () => {
      given(state).when({ type: 'FlagSilence', data: { now: '2026-06-01T00:00:00Z', zone: 'UTC', silenceWorkingDays: 5 } }).thenNothingHappened();
    });
  });

  describe('silence (default 5 working days, in the agency zone)', () => {
    // Monday 2026-03-02 start; a call on Monday 2026-03-09
    const talked: EngagementEvent[] = [started, { type: 'CommunicationLogged', data: { engagementId: 'e-1', channel: 'call', occurredAt: '2026-03-09T15:00:00Z', summary: 's' } }];
    const flag = (now: string, zone = 'UTC') => given(talked).when({ type: 'FlagSilence', data: { now, zone, silenceWorkingDays: 5 } });

    it('is not raised after 4 working days', () => {
      flag('2026-03-13T12:00:00Z').thenNothingHappened(); // Friday: Tue..Fri = 4
      flag('2026-03-15T12:00:00Z').thenNothingHappened(); // Sunday: still 4
    });

    it('is raised on the 5th working day, once per silence', () => {
      const silent: EngagementEvent = { type: 'EngagementWentSilent', data: { engagementId: 'e-1', clientId: 'c-1', assistantId: 'a-1', lastActivityAt: '2026-03-09T15:00:00Z', silentWorkingDays: 5, detectedAt: '2026-03-16T12:00:00Z' } };
      flag('2026-03-16T12:00:00Z').then([silent]); // Monday: 5
      const after: EngagementEvent[] = [...talked, silent];
      given(after).when({ type: 'FlagSilence', data: { now: '2026-03-20T12:00:00Z', zone: 'UTC', silenceWorkingDays: 5 } }).thenNothingHappened();
    });

    it('counts a kept appointment reported by the scheduling service as a sign of life', () => {
      const kept = (now: string) => given(talked).when({ type: 'FlagSilence', data: { now, zone: 'UTC', silenceWorkingDays: 5, otherActivityAt: '2026-03-11T16:00:00Z' } });
      kept('2026-03-16T12:00:00Z').thenNothingHappened(); // Thursday to Monday: 2 working days
      kept('2026-03-18T12:00:00Z').thenMatches([{ data: { lastActivityAt: '2026-03-11T16:00:00Z', silentWorkingDays: 5 } }]);
      // an older report changes nothing
      given(talked)
        .when({ type: 'FlagSilence', data: { now: '2026-03-16T12:00:00Z', zone: 'UTC', silenceWorkingDays: 5, otherActivityAt: '2026-03-03T00:00:00Z' } })
        .thenMatches([{ type: 'EngagementWentSilent' }]);
    });

    it('counts days in the agency zone', () => {
      // 2026-03-16T02:00Z is still Sunday the 15th in New York: 4 working days there
      flag('2026-03-16T02:00:00Z', 'America/New_York').thenNothingHappened();
      flag('2026-03-16T02:00:00Z', 'UTC').thenMatches([{ type: 'EngagementWentSilent' }]);
    });

    it('counts from the start when nobody has talked yet, and not before the start', () => {
      const fresh: EngagementEvent[] = [started];
      given(fresh).when({ type: 'FlagSilence', data: { now: '2026-03-06T12:00:00Z', zone: 'UTC', silenceWorkingDays: 5 } }).thenNothingHappened();
      given(fresh).when({ type: 'FlagSilence', data: { now: '2026-03-09T12:00:00Z', zone: 'UTC', silenceWorkingDays: 5 } }).thenMatches([{ type: 'EngagementWentSilent' }]);
      given(fresh).when({ type: 'FlagSilence', data: { now: '2026-02-01T12:00:00Z', zone: 'UTC', silenceWorkingDays: 5 } }).thenNothingHappened();
    });
  });
});
