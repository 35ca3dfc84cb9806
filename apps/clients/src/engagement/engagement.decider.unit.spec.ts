import type { EngagementStartedV1 } from '@vaops/contracts';
import { deciderSpec } from '@vaops/event-sourcing';
import type { EngagementEvent } from './engagement';
import { engagementDecider, type EngagementCommand } from './engagement.decider';

const start: EngagementStartedV1 = {
  engagementId: 'e-1',
  clientId: 'c-1',
  assistantId: 'a-1',
  kind: 'part-time',
  weeklyHours: 10,
  startsOn: '2026-03-02',
  noticePeriodDays: 14,
  phase: 1,
  plan: { type: 'hourly', rate: { amountMinor: 4000, currency: 'USD' } },
};
const started: EngagementEvent = { type: 'EngagementStarted', data: start };
const admin = { sub: 'admin', role: 'agency-admin' };
const rule = (code: string) => expect.objectContaining({ code });
const { when } = deciderSpec(engagementDecider);

describe('engagement decider', () => {
  describe('when nothing exists yet', () => {
    it('starts an engagement whose plan is in the client currency', () => {
      expect(when([], { type: 'StartEngagement', data: { ...start, clientCurrency: 'USD' } })).toEqual([started]);
    });

    it('refuses a plan in another currency than the client', () => {
      expect(() => when([], { type: 'StartEngagement', data: { ...start, clientCurrency: 'EUR' } })).toThrow(rule('ENGAGEMENT.CURRENCY_MISMATCH'));
      const retainer = { type: 'retainer' as const, monthlyFee: { amountMinor: 100000, currency: 'EUR' }, includedHours: 20, overageRate: { amountMinor: 5000, currency: 'USD' }, rollover: true };
      expect(() => when([], { type: 'StartEngagement', data: { ...start, plan: retainer, clientCurrency: 'EUR' } })).toThrow(rule('ENGAGEMENT.CURRENCY_MISMATCH'));
    });

    it('has nothing to give notice on', () => {
      expect(() => when([], { type: 'GiveNotice', data: { by: 'client', reason: 'x', now: '2026-03-03T00:00:00Z', today: '2026-03-03' } })).toThrow(rule('ENGAGEMENT.NOT_FOUND'));
    });
  });

  describe('when the engagement is active', () => {
    const state: EngagementEvent[] = [started];

    it('is idempotent for a roll-forward of the same start', () => {
      expect(when(state, { type: 'StartEngagement', data: { ...start, clientCurrency: 'USD' } })).toEqual([]);
    });

    it('records a promotion with who decided and why, and names skipped phases', () => {
      const [e] = when(state, { type: 'ChangePhase', data: { to: 3, reason: 'runs the calendar well', decidedBy: admin, now: '2026-04-01T10:00:00Z' } });
      expect(e).toEqual({ type: 'EngagementPhaseChanged', data: { engagementId: 'e-1', from: 1, to: 3, skipped: [2], reason: 'runs the calendar well', decidedBy: admin, effectiveAt: '2026-04-01T10:00:00Z' } });
    });

    it('records a demotion, and refuses a change to the same phase', () => {
      const inTwo: EngagementEvent[] = [started, { type: 'EngagementPhaseChanged', data: { engagementId: 'e-1', from: 1, to: 2, skipped: [], reason: 'r', decidedBy: admin, effectiveAt: '2026-03-10T00:00:00Z' } }];
      expect(when(inTwo, { type: 'ChangePhase', data: { to: 1, reason: 'missed deadlines', decidedBy: admin, now: '2026-04-01T00:00:00Z' } })[0].data).toMatchObject({ from: 2, to: 1, skipped: [] });
      expect(() => when(inTwo, { type: 'ChangePhase', data: { to: 2, reason: 'r', decidedBy: admin, now: '2026-04-01T00:00:00Z' } })).toThrow(rule('ENGAGEMENT.PHASE_UNCHANGED'));
    });

    it('changes the plan from today or later, never in the past', () => {
      const plan = { type: 'hourly' as const, rate: { amountMinor: 4500, currency: 'USD' } };
      expect(when(state, { type: 'ChangePlan', data: { plan, effectiveOn: '2026-05-01', clientCurrency: 'USD', today: '2026-04-20' } })).toEqual([
        { type: 'EngagementPlanChanged', data: { engagementId: 'e-1', plan, effectiveOn: '2026-05-01' } },
      ]);
      expect(() => when(state, { type: 'ChangePlan', data: { plan, effectiveOn: '2026-04-19', clientCurrency: 'USD', today: '2026-04-20' } })).toThrow(rule('ENGAGEMENT.PLAN_RETROACTIVE'));
      expect(() => when(state, { type: 'ChangePlan', data: { plan: { type: 'hourly', rate: { amountMinor: 1, currency: 'GBP' } }, effectiveOn: '2026-05-01', clientCurrency: 'USD', today: '2026-04-20' } })).toThrow(rule('ENGAGEMENT.CURRENCY_MISMATCH'));
    });

    it('takes notice from either side and ends when the period has run', () => {
      const [notice] = when(state, { type: 'GiveNotice', data: { by: 'assistant', reason: 'moving on', now: '2026-04-01T09:00:00Z', today: '2026-04-01' } });
      expect(notice).toEqual({ type: 'EngagementNoticeGiven', data: { engagementId: 'e-1', by: 'assistant', reason: 'moving on', givenAt: '2026-04-01T09:00:00Z', endsOn: '2026-04-15' } });
    });

    it('does not end without notice: only a recorded breach ends it at once', () => {
      expect(() => when(state, { type: 'EndAfterNotice', data: { today: '2026-12-31' } })).toThrow(rule('ENGAGEMENT.NOTICE_REQUIRED'));
      expect(when(state, { type: 'RecordBreach', data: { by: 'assistant', reason: 'disappeared', today: '2026-04-02' } })).toEqual([
        { type: 'EngagementEnded', data: { engagementId: 'e-1', endedBy: 'breach', endedOn: '2026-04-02', breachBy: 'assistant', reason: 'disappeared' } },
      ]);
    });

    it('logs a communication, but not one in the future', () => {
      expect(when(state, { type: 'LogCommunication', data: { channel: 'call', occurredAt: '2026-03-05T15:00:00Z', summary: 'weekly call', now: '2026-03-05T16:00:00Z' } })).toHaveLength(1);
      expect(() => when(state, { type: 'LogCommunication', data: { channel: 'call', occurredAt: '2026-03-06T15:00:00Z', summary: 'x', now: '2026-03-05T16:00:00Z' } })).toThrow(rule('COMMUNICATION.IN_FUTURE'));
    });
  });

  describe('when notice has been given', () => {
    const state: EngagementEvent[] = [started, { type: 'EngagementNoticeGiven', data: { engagementId: 'e-1', by: 'client', reason: 'budget', givenAt: '2026-04-01T09:00:00Z', endsOn: '2026-04-15' } }];

    it('refuses a second notice', () => {
      expect(() => when(state, { type: 'GiveNotice', data: { by: 'assistant', reason: 'x', now: '2026-04-02T00:00:00Z', today: '2026-04-02' } })).toThrow(rule('ENGAGEMENT.ALREADY_IN_NOTICE'));
    });

    it('does not end before the period has run, and ends on its last day', () => {
      expect(() => when(state, { type: 'EndAfterNotice', data: { today: '2026-04-14' } })).toThrow(rule('ENGAGEMENT.NOTICE_RUNNING'));
      expect(when(state, { type: 'EndAfterNotice', data: { today: '2026-04-16' } })).toEqual([
        { type: 'EngagementEnded', data: { engagementId: 'e-1', endedBy: 'notice', endedOn: '2026-04-15', breachBy: null, reason: null } },
      ]);
    });

    it('can still be ended at once as a breach', () => {
      expect(when(state, { type: 'RecordBreach', data: { by: 'client', reason: 'stopped paying', today: '2026-04-03' } })[0].data).toMatchObject({ endedBy: 'breach', breachBy: 'client' });
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
      expect(() => when(state, command)).toThrow(rule('ENGAGEMENT.ENDED'));
    });

    it('lets the scheduler ask to end it again without effect', () => {
      expect(when(state, { type: 'EndAfterNotice', data: { today: '2026-05-01' } })).toEqual([]);
    });

    it('raises no silence alert', () => {
      expect(when(state, { type: 'FlagSilence', data: { now: '2026-06-01T00:00:00Z', zone: 'UTC', silenceWorkingDays: 5 } })).toEqual([]);
    });
  });

  describe('silence (default 5 working days, in the agency zone)', () => {
    // Monday 2026-03-02 start; a call on Monday 2026-03-09
    const talked: EngagementEvent[] = [started, { type: 'CommunicationLogged', data: { engagementId: 'e-1', channel: 'call', occurredAt: '2026-03-09T15:00:00Z', summary: 's' } }];
    const flag = (now: string, zone = 'UTC') => when(talked, { type: 'FlagSilence', data: { now, zone, silenceWorkingDays: 5 } });

    it('is not raised after 4 working days', () => {
      expect(flag('2026-03-13T12:00:00Z')).toEqual([]); // Friday: Tue..Fri = 4
      expect(flag('2026-03-15T12:00:00Z')).toEqual([]); // Sunday: still 4
    });

    it('is raised on the 5th working day, once per silence', () => {
      const [e] = flag('2026-03-16T12:00:00Z'); // Monday: 5
      expect(e).toEqual({ type: 'EngagementWentSilent', data: { engagementId: 'e-1', clientId: 'c-1', assistantId: 'a-1', lastActivityAt: '2026-03-09T15:00:00Z', silentWorkingDays: 5, detectedAt: '2026-03-16T12:00:00Z' } });
      const after: EngagementEvent[] = [started, { type: 'CommunicationLogged', data: { engagementId: 'e-1', channel: 'call', occurredAt: '2026-03-09T15:00:00Z', summary: 's' } }, e];
      expect(when(after, { type: 'FlagSilence', data: { now: '2026-03-20T12:00:00Z', zone: 'UTC', silenceWorkingDays: 5 } })).toEqual([]);
    });

    it('counts a kept appointment reported by the scheduling service as a sign of life', () => {
      const kept = (now: string) => when(talked, { type: 'FlagSilence', data: { now, zone: 'UTC', silenceWorkingDays: 5, otherActivityAt: '2026-03-11T16:00:00Z' } });
      expect(kept('2026-03-16T12:00:00Z')).toEqual([]); // Thursday to Monday: 2 working days
      expect(kept('2026-03-18T12:00:00Z')[0].data).toMatchObject({ lastActivityAt: '2026-03-11T16:00:00Z', silentWorkingDays: 5 });
      // an older report changes nothing
      expect(when(talked, { type: 'FlagSilence', data: { now: '2026-03-16T12:00:00Z', zone: 'UTC', silenceWorkingDays: 5, otherActivityAt: '2026-03-03T00:00:00Z' } })).toHaveLength(1);
    });

    it('counts days in the agency zone', () => {
      // 2026-03-16T02:00Z is still Sunday the 15th in New York: 4 working days there
      expect(flag('2026-03-16T02:00:00Z', 'America/New_York')).toEqual([]);
      expect(flag('2026-03-16T02:00:00Z', 'UTC')).toHaveLength(1);
    });

    it('counts from the start when nobody has talked yet, and not before the start', () => {
      const fresh: EngagementEvent[] = [started];
      expect(when(fresh, { type: 'FlagSilence', data: { now: '2026-03-06T12:00:00Z', zone: 'UTC', silenceWorkingDays: 5 } })).toEqual([]);
      expect(when(fresh, { type: 'FlagSilence', data: { now: '2026-03-09T12:00:00Z', zone: 'UTC', silenceWorkingDays: 5 } })).toHaveLength(1);
      expect(when(fresh, { type: 'FlagSilence', data: { now: '2026-02-01T12:00:00Z', zone: 'UTC', silenceWorkingDays: 5 } })).toEqual([]);
    });
  });
});
