import { ConcurrencyConflictError, DomainError } from '@vaops/event-sourcing';
import { DeciderSpecification } from '@vaops/testing/decider';
import type { SealedText } from '@vaops/contracts';
import { billedMinutesOf, isoWeekOf, sheetVersion, type TimelogEvent } from './timelog';
import { timelogDecider, type EngagementFacts, type EntryInput, type EntryPolicy, type TimelogCommand } from './timelog.decider';

const given = DeciderSpecification.for(timelogDecider);

const engagement: EngagementFacts = {
  engagementId: 'e-1',
  clientId: 'c-1',
  assistantId: 'a-1',
  status: 'active',
  startsOn: '2026-03-02',
  endsOn: null,
  phaseHistory: [
    { phase: 1, from: '1970-01-01T00:00:00.000Z' },
    { phase: 2, from: '2026-03-05T00:00:00.000Z' },
  ],
};
const other: EngagementFacts = { ...engagement, engagementId: 'e-2', clientId: 'c-2', phaseHistory: [{ phase: null, from: '1970-01-01T00:00:00.000Z' }] };
const policy: EntryPolicy = { assistantZone: 'Asia/Manila', agencyZone: 'UTC', rounding: { minutes: 15, mode: 'up' } };
const now = '2026-03-20T00:00:00.000Z';
/** Free text as the route hands it over: encrypted under the engagement's key (the decider never reads it). */
const sealed = (ct: string): SealedText => ({ pii: 'v1', person: 'e-1', iv: 'AAAAAAAAAAAAAAAA', ct });
const input = (startedAt: string, endedAt: string, over: Partial<EntryInput> = {}): EntryInput => ({ category: 'data-entry', startedAt, endedAt, billable: true, notes: null, ...over });
const log = (entryId: string, i: EntryInput, eng = engagement, over: Partial<EntryPolicy> = {}): TimelogCommand => ({ type: 'Log', data: { entryId, input: i, engagement: eng, policy: { ...policy, ...over }, now } });
const monday10 = input('2026-03-09T10:00:00.000Z', '2026-03-09T10:07:00.000Z');
const logged = given([]).when(log('t-1', monday10)).history();

describe('timelog decider', () => {
  describe('rounding', () => {
    it('rounds billed minutes per agency rule and keeps the actual minutes', () => {
      expect(billedMinutesOf(7, true, { minutes: 0, mode: 'up' })).toBe(7);
      expect(billedMinutesOf(7, true, { minutes: 6, mode: 'up' })).toBe(12);
      expect(billedMinutesOf(7, true, { minutes: 6, mode: 'nearest' })).toBe(6);
      expect(billedMinutesOf(9, true, { minutes: 6, mode: 'nearest' })).toBe(12);
      expect(billedMinutesOf(7, true, { minutes: 15, mode: 'up' })).toBe(15);
      expect(billedMinutesOf(7, true, { minutes: 15, mode: 'nearest' })).toBe(0);
      expect(billedMinutesOf(8, true, { minutes: 15, mode: 'nearest' })).toBe(15);
      expect(billedMinutesOf(50, false, { minutes: 15, mode: 'up' })).toBe(0);
      given([]).when(log('t-1', monday10)).thenMatches([{ data: { actualMinutes: 7, billedMinutes: 15 } }]);
    });
  });

  describe('the week', () => {
    it("is the ISO week of the start in the assistant's zone", () => {
      // Sunday 20:00 UTC is Monday 04:00 in Manila
      expect(isoWeekOf('2026-03-08T20:00:00Z', 'Asia/Manila')).toBe('2026-W11');
      expect(isoWeekOf('2026-03-08T20:00:00Z', 'UTC')).toBe('2026-W10');
      expect(isoWeekOf('2026-01-01T10:00:00Z', 'UTC')).toBe('2026-W01');
      expect(isoWeekOf('2027-01-01T10:00:00Z', 'UTC')).toBe('2026-W53');
    });
  });

  describe('when the timelog is empty', () => {
    it('logs an entry inside an active engagement on an allowed category', () => {
      given([])
        .when(log('t-1', monday10))
        .then([{ type: 'TimeEntryLogged', data: expect.objectContaining({ entryId: 't-1', engagementId: 'e-1', isoWeek: '2026-W11', month: '2026-03', source: 'manual' }) }]);
    });

    it('refuses time outside the engagement, in the future, too short or ending before it starts', () => {
      given([]).when(log('x', input('2026-03-01T10:00:00Z', '2026-03-01T11:00:00Z'))).thenThrows(DomainError, 'TIME_ENTRY.OUTSIDE_ENGAGEMENT');
      given([]).when(log('x', monday10, { ...engagement, status: 'ended', endsOn: '2026-03-09' })).thenThrows(DomainError, 'TIME_ENTRY.OUTSIDE_ENGAGEMENT');
      given([]).when(log('x', input('2026-03-21T10:00:00Z', '2026-03-21T11:00:00Z'))).thenThrows(DomainError, 'TIME_ENTRY.IN_FUTURE');
      given([]).when(log('x', input('2026-03-09T10:00:00Z', '2026-03-09T10:00:30Z'))).thenThrows(DomainError, 'TIME_ENTRY.TOO_SHORT');
      given([]).when(log('x', input('2026-03-09T10:00:00Z', '2026-03-09T09:00:00Z'))).thenThrows(DomainError, 'TIME_ENTRY.ENDS_BEFORE_START');
    });

    it("refuses a category the engagement's phase did not allow at the entry's time", () => {
      const screening = (d: string) => input(`${d}T10:00:00.000Z`, `${d}T11:00:00.000Z`, { category: 'screening' });
      given([]).when(log('x', screening('2026-03-04'))).thenThrows(DomainError, 'TIME_ENTRY.CATEGORY_NOT_ALLOWED');
      given([]).when(log('x', screening('2026-03-05'))).thenMatches([{ type: 'TimeEntryLogged' }]);
      given([]).when(log('x', input('2026-03-04T23:30:00Z', '2026-03-05T00:30:00Z', { category: 'screening' }))).thenThrows(DomainError, 'TIME_ENTRY.CATEGORY_NOT_ALLOWED');
      given([]).when(log('x', screening('2026-03-04'), other)).thenMatches([{ type: 'TimeEntryLogged' }]);
    });
  });

  describe('when the assistant has logged time', () => {
    it("refuses an overlapping entry on any of the assistant's engagements, and accepts one that touches", () => {
      given(logged).when(log('t-2', input('2026-03-09T10:05:00Z', '2026-03-09T10:30:00Z'), other)).thenThrows(DomainError, 'TIME_ENTRY.OVERLAP');
      given(logged).when(log('t-2', input('2026-03-09T10:07:00.000Z', '2026-03-09T10:30:00.000Z'), other)).thenMatches([{ type: 'TimeEntryLogged' }]);
    });

    it('is idempotent for a retried request', () => {
      given(logged).when(log('t-1', monday10)).thenNothingHappened();
    });

    it('corrects an open entry, checked with the If-Match version', () => {
      const correct: TimelogCommand = { type: 'Correct', data: { entryId: 't-1', input: input('2026-03-09T10:00:00.000Z', '2026-03-09T10:20:00.000Z'), engagement, policy, now, expectedVersion: 1 } };
      given(logged).when(correct).thenMatches([{ type: 'TimeEntryCorrected', data: { actualMinutes: 20, billedMinutes: 30 } }]);
      given(logged).when({ ...correct, data: { ...correct.data, expectedVersion: 3 } } as TimelogCommand).thenThrows(ConcurrencyConflictError, 'CONCURRENCY.CONFLICT');
    });
  });

  describe('timesheets', () => {
    const submit: TimelogCommand = { type: 'Submit', data: { engagementId: 'e-1', isoWeek: '2026-W11' } };
    const approve = (includedMinutes: number | null = null): TimelogCommand => ({ type: 'Approve', data: { sheets: [{ engagementId: 'e-1', isoWeek: '2026-W11', includedMinutes }], by: 'client' } });
    const correct = (i: EntryInput): TimelogCommand => ({ type: 'Correct', data: { entryId: 't-1', input: i, engagement, policy, now } });

    it('submits open time, refuses an empty or already submitted week and new time in it', () => {
      given(logged).when(submit).thenMatches([{ type: 'TimesheetSubmitted', data: { entryIds: ['t-1'], assistantId: 'a-1', clientId: 'c-1' } }]);
      const submitted = given(logged).when(submit).history();
      given(submitted).when(submit).thenThrows(DomainError, 'TIMESHEET.NOTHING_TO_SUBMIT');
      given([]).when(submit).thenThrows(DomainError, 'TIMESHEET.NOTHING_TO_SUBMIT');
      given(submitted).when(log('t-2', input('2026-03-10T10:00:00Z', '2026-03-10T11:00:00Z'))).thenThrows(DomainError, 'TIMESHEET.UNDER_REVIEW');
      given(submitted).when(correct(monday10)).thenThrows(DomainError, 'TIMESHEET.UNDER_REVIEW');
    });

    it('approves with the entries and billed minutes, and locks them', () => {
      const submitted = given(logged).when(submit).history();
      given(submitted)
        .when(approve())
        .thenMatches([{ type: 'TimesheetApproved', data: { billedMinutes: 15, approvedBy: 'client', entries: [expect.objectContaining({ entryId: 't-1', actualMinutes: 7, billedMinutes: 15 })] } }]);
      const approved = given(submitted).when(approve()).history();
      given(approved).when(correct(monday10)).thenThrows(DomainError, 'TIME_ENTRY.LOCKED');
      given(approved).when(approve()).thenThrows(DomainError, 'TIMESHEET.NOT_SUBMITTED');
      given(logged).when(approve()).thenThrows(DomainError, 'TIMESHEET.NOT_SUBMITTED');
    });

    it('rejects with a reason; rejected time can be corrected and submitted again', () => {
      const rejecting = given(logged).when(submit, { type: 'Reject', data: { engagementId: 'e-1', isoWeek: '2026-W11', reason: sealed('too long'), by: 'agency' } });
      rejecting.thenMatches([{ type: 'TimesheetSubmitted' }, { type: 'TimesheetRejected', data: { reason: sealed('too long'), entryIds: ['t-1'] } }]);
      given(rejecting.history())
        .when(correct(input('2026-03-09T10:00:00.000Z', '2026-03-09T10:05:00.000Z')), submit)
        .thenMatches([{ type: 'TimeEntryCorrected' }, { type: 'TimesheetSubmitted', data: { entryIds: ['t-1'] } }]);
    });

    it('versions each week by its review steps and refuses a stale If-Match on submit, approve and reject', () => {
      const v = (events: TimelogEvent[], week = '2026-W11') => sheetVersion(given(events).state(), 'e-1', week);
      const at = (c: TimelogCommand, expectedVersion: number): TimelogCommand =>
        c.type === 'Approve' ? { ...c, data: { ...c.data, sheets: c.data.sheets.map((s) => ({ ...s, expectedVersion })) } } : ({ ...c, data: { ...c.data, expectedVersion } } as TimelogCommand);
      const reject: TimelogCommand = { type: 'Reject', data: { engagementId: 'e-1', isoWeek: '2026-W11', reason: sealed('no'), by: 'client' } };
      expect(v(logged)).toBe(0);
      given(logged).when(at(submit, 1)).thenThrows(ConcurrencyConflictError, 'CONCURRENCY.CONFLICT');
      const submitted = given(logged).when(at(submit, 0)).history();
      expect(v(submitted)).toBe(1);
      given(submitted).when(at(approve(), 0)).thenThrows(ConcurrencyConflictError, 'CONCURRENCY.CONFLICT');
      given(submitted).when(at(reject, 2)).thenThrows(ConcurrencyConflictError, 'CONCURRENCY.CONFLICT');
      const rejected = given(submitted).when(at(reject, 1)).history();
      expect(v(rejected)).toBe(2);
      // a reviewer who saw the first submission cannot approve the second one with its version
      const again = given(rejected).when(submit).history();
      given(again).when(at(approve(), 1)).thenThrows(ConcurrencyConflictError, 'CONCURRENCY.CONFLICT');
      const approved = given(again).when(at(approve(), 3)).history();
      expect(v(approved)).toBe(4);
      // other weeks have their own versions; entries alone do not move a week's version
      const nextWeek = given(approved).when(log('t-2', input('2026-03-16T10:00:00Z', '2026-03-16T11:00:00Z'))).history();
      expect([v(nextWeek), v(nextWeek, '2026-W12')]).toEqual([4, 0]);
      const w12 = given(nextWeek).when({ type: 'Submit', data: { engagementId: 'e-1', isoWeek: '2026-W12', expectedVersion: 0 } }).history();
      expect([v(w12), v(w12, '2026-W12')]).toEqual([4, 1]);
    });

    it('corrects approved time with an adjusting entry of the difference that is approved again', () => {
      const approved = given(logged).when(submit, approve()).history();
      const adjust: TimelogCommand = { type: 'Adjust', data: { entryId: 't-2', adjusts: 't-1', input: input('2026-03-09T10:00:00.000Z', '2026-03-09T10:40:00.000Z'), reason: sealed('forgot'), engagement, policy, now } };
      given(approved).when(adjust).thenMatches([{ type: 'TimeEntryAdjusted', data: { adjusts: 't-1', actualMinutes: 33, billedMinutes: 30, reason: sealed('forgot') } }]);
      const adjusted = given(approved).when(adjust).history();
      given(adjusted).when(adjust).thenNothingHappened();
      given(adjusted).when({ ...adjust, data: { ...adjust.data, entryId: 't-3' } } as TimelogCommand).thenThrows(DomainError, 'TIME_ENTRY.ALREADY_ADJUSTED');
      given(logged).when(adjust).thenThrows(DomainError, 'TIME_ENTRY.NOT_APPROVED');
      const at = (expectedVersion: number) => ({ ...adjust, data: { ...adjust.data, entryId: 't-9', expectedVersion } }) as TimelogCommand;
      given(approved).when(at(1)).thenThrows(ConcurrencyConflictError, 'CONCURRENCY.CONFLICT');
      given(approved)
        .when(at(given(approved).state().entries['t-1'].version))
        .thenMatches([{ type: 'TimeEntryAdjusted' }]);
      given(adjusted)
        .when(submit, approve())
        .thenMatches([{ type: 'TimesheetSubmitted' }, { type: 'TimesheetApproved', data: { billedMinutes: 30, entries: [expect.objectContaining({ entryId: 't-2', adjusts: 't-1' })] } }]);
    });

    it('keeps a rejected adjusting entry a difference when it is corrected', () => {
      const adjust: TimelogCommand = { type: 'Adjust', data: { entryId: 't-2', adjusts: 't-1', input: input('2026-03-09T10:00:00.000Z', '2026-03-09T10:40:00.000Z'), reason: sealed('forgot'), engagement, policy, now } };
      const reject: TimelogCommand = { type: 'Reject', data: { engagementId: 'e-1', isoWeek: '2026-W11', reason: sealed('not 40'), by: 'client' } };
      const rejected = given(logged).when(submit, approve(), adjust, submit, reject).history();
      const fix: TimelogCommand = { type: 'Correct', data: { entryId: 't-2', input: input('2026-03-09T10:00:00.000Z', '2026-03-09T10:50:00.000Z'), engagement, policy, now } };
      // the approved entry had 7 actual / 15 billed; the corrected interval has 50 actual / 60 billed (15 up)
      given(rejected).when(fix).then([expect.objectContaining({ type: 'TimeEntryCorrected', data: expect.objectContaining({ entryId: 't-2', actualMinutes: 43, billedMinutes: 45 }) })]);
      given(rejected)
        .when(fix, submit, approve())
        .thenMatches([
          { type: 'TimeEntryCorrected' },
          { type: 'TimesheetSubmitted' },
          { type: 'TimesheetApproved', data: { billedMinutes: 45, entries: [expect.objectContaining({ entryId: 't-2', adjusts: 't-1', billedMinutes: 45 })] } },
        ]);
    });

    it('warns once when approved time crosses 80% and 100% of the retainer', () => {
      const warnings = (events: TimelogEvent[]) => events.filter((e) => e.type === 'RetainerUsageWarning').map((e) => e.data);
      const to80 = given(logged).when(submit, approve(18));
      expect(warnings(to80.events())).toEqual([expect.objectContaining({ threshold: 80, usedMinutes: 15, includedMinutes: 18, month: '2026-03' })]);
      const to100 = given(to80.history()).when(log('t-2', input('2026-03-10T10:00:00.000Z', '2026-03-10T10:10:00.000Z')), submit, approve(18));
      expect(warnings(to100.events())).toEqual([expect.objectContaining({ threshold: 100, usedMinutes: 30 })]);
      expect(warnings(given(logged).when(submit, approve(600)).events())).toEqual([]);
    });
  });

  describe('free text (notes, reasons)', () => {
    it('records the sealed notes the route hands over, and decides on entries stored with plaintext notes before encryption', () => {
      given([]).when(log('t-1', { ...monday10, notes: sealed('called the bank') })).thenMatches([{ type: 'TimeEntryLogged', data: { notes: sealed('called the bank') } }]);
      // an entry logged before issue 15, item 4: its stored event still holds the plaintext
      const old: TimelogEvent = { ...logged[0], data: { ...(logged[0].data as Extract<TimelogEvent, { type: 'TimeEntryLogged' }>['data']), notes: 'called the bank' } } as TimelogEvent;
      given([old])
        .when({ type: 'Correct', data: { entryId: 't-1', input: { ...monday10, notes: sealed('called the bank twice') }, engagement, policy, now } })
        .thenMatches([{ type: 'TimeEntryCorrected', data: { entryId: 't-1', notes: sealed('called the bank twice') } }]);
    });
  });

  describe('timers', () => {
    const start = (at: string): TimelogCommand => ({ type: 'StartTimer', data: { engagement, category: 'data-entry', policy, now: at } });
    const stop = (at: string): TimelogCommand => ({ type: 'StopTimer', data: { entryId: 't-9', assistantId: 'a-1', engagement, policy, now: at } });

    it('runs one timer per assistant: a second start is refused', () => {
      const running = given([]).when(start('2026-03-10T09:00:00.000Z')).history();
      given(running).when(start('2026-03-10T09:30:00.000Z')).thenThrows(DomainError, 'TIMER.ALREADY_RUNNING');
      given(running).when(log('t-2', input('2026-03-10T09:10:00Z', '2026-03-10T09:20:00Z'), other)).thenThrows(DomainError, 'TIME_ENTRY.OVERLAP');
    });

    it('stops into a logged entry, or without one under a minute; stopping without a timer is refused', () => {
      given([])
        .when(start('2026-03-10T09:00:00.000Z'), stop('2026-03-10T09:20:30.000Z'))
        .thenMatches([{ type: 'TimerStarted' }, { type: 'TimerStopped' }, { type: 'TimeEntryLogged', data: { entryId: 't-9', actualMinutes: 20, billedMinutes: 30, source: 'timer' } }]);
      given([]).when(start('2026-03-10T09:00:00.000Z'), stop('2026-03-10T09:00:30.000Z')).thenMatches([{ type: 'TimerStarted' }, { type: 'TimerStopped', data: { entryId: null } }]);
      given([]).when(stop(now)).thenThrows(DomainError, 'TIMER.NOT_RUNNING');
      given(logged).when(start('2026-03-09T10:05:00.000Z')).thenThrows(DomainError, 'TIME_ENTRY.OVERLAP');
    });

    it('stops nothing for a retried request whose entry was logged, not even a timer started since', () => {
      const stopped = given([]).when(start('2026-03-10T09:00:00.000Z'), stop('2026-03-10T09:20:30.000Z')).history();
      given(stopped).when(stop('2026-03-10T09:22:00.000Z')).thenNothingHappened();
      const restarted = given(stopped).when(start('2026-03-10T09:30:00.000Z')).history();
      given(restarted).when(stop('2026-03-10T09:45:00.000Z')).thenNothingHappened();
    });
  });
});
