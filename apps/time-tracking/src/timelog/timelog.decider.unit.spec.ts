import { deciderSpec } from '@vaops/event-sourcing';
import { billedMinutesOf, isoWeekOf, sheetVersion, type TimelogEvent } from './timelog';
import { timelogDecider, type EngagementFacts, type EntryInput, type EntryPolicy, type TimelogCommand } from './timelog.decider';

const { given, when, then } = deciderSpec(timelogDecider);

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
const input = (startedAt: string, endedAt: string, over: Partial<EntryInput> = {}): EntryInput => ({ category: 'data-entry', startedAt, endedAt, billable: true, notes: null, ...over });
const log = (entryId: string, i: EntryInput, eng = engagement, over: Partial<EntryPolicy> = {}): TimelogCommand => ({ type: 'Log', data: { entryId, input: i, engagement: eng, policy: { ...policy, ...over }, now } });
const code = (c: string) => expect.objectContaining({ code: c });
const monday10 = input('2026-03-09T10:00:00.000Z', '2026-03-09T10:07:00.000Z');
const logged = when([], log('t-1', monday10));

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
      expect(logged[0].data).toMatchObject({ actualMinutes: 7, billedMinutes: 15 });
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
      expect(logged).toEqual([{ type: 'TimeEntryLogged', data: expect.objectContaining({ entryId: 't-1', engagementId: 'e-1', isoWeek: '2026-W11', month: '2026-03', source: 'manual' }) }]);
    });

    it('refuses time outside the engagement, in the future, too short or ending before it starts', () => {
      expect(() => when([], log('x', input('2026-03-01T10:00:00Z', '2026-03-01T11:00:00Z')))).toThrow(code('TIME_ENTRY.OUTSIDE_ENGAGEMENT'));
      expect(() => when([], log('x', monday10, { ...engagement, status: 'ended', endsOn: '2026-03-09' }))).toThrow(code('TIME_ENTRY.OUTSIDE_ENGAGEMENT'));
      expect(() => when([], log('x', input('2026-03-21T10:00:00Z', '2026-03-21T11:00:00Z')))).toThrow(code('TIME_ENTRY.IN_FUTURE'));
      expect(() => when([], log('x', input('2026-03-09T10:00:00Z', '2026-03-09T10:00:30Z')))).toThrow(code('TIME_ENTRY.TOO_SHORT'));
      expect(() => when([], log('x', input('2026-03-09T10:00:00Z', '2026-03-09T09:00:00Z')))).toThrow(code('TIME_ENTRY.ENDS_BEFORE_START'));
    });

    it("refuses a category the engagement's phase did not allow at the entry's time", () => {
      const screening = (d: string) => input(`${d}T10:00:00.000Z`, `${d}T11:00:00.000Z`, { category: 'screening' });
      expect(() => when([], log('x', screening('2026-03-04')))).toThrow(code('TIME_ENTRY.CATEGORY_NOT_ALLOWED'));
      expect(when([], log('x', screening('2026-03-05')))).toHaveLength(1);
      expect(() => when([], log('x', input('2026-03-04T23:30:00Z', '2026-03-05T00:30:00Z', { category: 'screening' })))).toThrow(code('TIME_ENTRY.CATEGORY_NOT_ALLOWED'));
      expect(when([], log('x', screening('2026-03-04'), other))).toHaveLength(1);
    });
  });

  describe('when the assistant has logged time', () => {
    it("refuses an overlapping entry on any of the assistant's engagements, and accepts one that touches", () => {
      expect(() => when(logged, log('t-2', input('2026-03-09T10:05:00Z', '2026-03-09T10:30:00Z'), other))).toThrow(code('TIME_ENTRY.OVERLAP'));
      expect(when(logged, log('t-2', input('2026-03-09T10:07:00.000Z', '2026-03-09T10:30:00.000Z'), other))).toHaveLength(1);
    });

    it('is idempotent for a retried request', () => {
      expect(when(logged, log('t-1', monday10))).toEqual([]);
    });

    it('corrects an open entry, checked with the If-Match version', () => {
      const correct: TimelogCommand = { type: 'Correct', data: { entryId: 't-1', input: input('2026-03-09T10:00:00.000Z', '2026-03-09T10:20:00.000Z'), engagement, policy, now, expectedVersion: 1 } };
      expect(when(logged, correct)[0]).toMatchObject({ type: 'TimeEntryCorrected', data: { actualMinutes: 20, billedMinutes: 30 } });
      expect(() => when(logged, { ...correct, data: { ...correct.data, expectedVersion: 3 } } as TimelogCommand)).toThrow(code('CONCURRENCY.CONFLICT'));
    });
  });

  describe('timesheets', () => {
    const submit: TimelogCommand = { type: 'Submit', data: { engagementId: 'e-1', isoWeek: '2026-W11' } };
    const approve = (includedMinutes: number | null = null): TimelogCommand => ({ type: 'Approve', data: { sheets: [{ engagementId: 'e-1', isoWeek: '2026-W11', includedMinutes }], by: 'client' } });
    const correct = (i: EntryInput): TimelogCommand => ({ type: 'Correct', data: { entryId: 't-1', input: i, engagement, policy, now } });

    it('submits open time, refuses an empty or already submitted week and new time in it', () => {
      const submitted = then(logged, submit);
      expect(submitted[1]).toMatchObject({ type: 'TimesheetSubmitted', data: { entryIds: ['t-1'], assistantId: 'a-1', clientId: 'c-1' } });
      expect(() => when(submitted, submit)).toThrow(code('TIMESHEET.NOTHING_TO_SUBMIT'));
      expect(() => when([], submit)).toThrow(code('TIMESHEET.NOTHING_TO_SUBMIT'));
      expect(() => when(submitted, log('t-2', input('2026-03-10T10:00:00Z', '2026-03-10T11:00:00Z')))).toThrow(code('TIMESHEET.UNDER_REVIEW'));
      expect(() => when(submitted, correct(monday10))).toThrow(code('TIMESHEET.UNDER_REVIEW'));
    });

    it('approves with the entries and billed minutes, and locks them', () => {
      const approved = then(logged, submit, approve());
      expect(approved[2]).toMatchObject({ type: 'TimesheetApproved', data: { billedMinutes: 15, approvedBy: 'client', entries: [expect.objectContaining({ entryId: 't-1', actualMinutes: 7, billedMinutes: 15 })] } });
      expect(() => when(approved, correct(monday10))).toThrow(code('TIME_ENTRY.LOCKED'));
      expect(() => when(approved, approve())).toThrow(code('TIMESHEET.NOT_SUBMITTED'));
      expect(() => when(logged, approve())).toThrow(code('TIMESHEET.NOT_SUBMITTED'));
    });

    it('rejects with a reason; rejected time can be corrected and submitted again', () => {
      const rejected = then(logged, submit, { type: 'Reject', data: { engagementId: 'e-1', isoWeek: '2026-W11', reason: 'too long', by: 'agency' } });
      expect(rejected[2]).toMatchObject({ type: 'TimesheetRejected', data: { reason: 'too long', entryIds: ['t-1'] } });
      const again = then(rejected, correct(input('2026-03-09T10:00:00.000Z', '2026-03-09T10:05:00.000Z')), submit);
      expect(again[4]).toMatchObject({ type: 'TimesheetSubmitted', data: { entryIds: ['t-1'] } });
    });

    it('versions each week by its review steps and refuses a stale If-Match on submit, approve and reject', () => {
      const v = (events: TimelogEvent[], week = '2026-W11') => sheetVersion(given(...events), 'e-1', week);
      const at = (c: TimelogCommand, expectedVersion: number): TimelogCommand =>
        c.type === 'Approve' ? { ...c, data: { ...c.data, sheets: c.data.sheets.map((s) => ({ ...s, expectedVersion })) } } : ({ ...c, data: { ...c.data, expectedVersion } } as TimelogCommand);
      const reject: TimelogCommand = { type: 'Reject', data: { engagementId: 'e-1', isoWeek: '2026-W11', reason: 'no', by: 'client' } };
      expect(v(logged)).toBe(0);
      expect(() => when(logged, at(submit, 1))).toThrow(code('CONCURRENCY.CONFLICT'));
      const submitted = then(logged, at(submit, 0));
      expect(v(submitted)).toBe(1);
      expect(() => when(submitted, at(approve(), 0))).toThrow(code('CONCURRENCY.CONFLICT'));
      expect(() => when(submitted, at(reject, 2))).toThrow(code('CONCURRENCY.CONFLICT'));
      const rejected = then(submitted, at(reject, 1));
      expect(v(rejected)).toBe(2);
      // a reviewer who saw the first submission cannot approve the second one with its version
      const again = then(rejected, submit);
      expect(() => when(again, at(approve(), 1))).toThrow(code('CONCURRENCY.CONFLICT'));
      const approved = then(again, at(approve(), 3));
      expect(v(approved)).toBe(4);
      // other weeks have their own versions; entries alone do not move a week's version
      const nextWeek = then(approved, log('t-2', input('2026-03-16T10:00:00Z', '2026-03-16T11:00:00Z')));
      expect([v(nextWeek), v(nextWeek, '2026-W12')]).toEqual([4, 0]);
      const w12 = then(nextWeek, { type: 'Submit', data: { engagementId: 'e-1', isoWeek: '2026-W12', expectedVersion: 0 } });
      expect([v(w12), v(w12, '2026-W12')]).toEqual([4, 1]);
    });

    it('corrects approved time with an adjusting entry of the difference that is approved again', () => {
      const approved = then(logged, submit, approve());
      const adjust: TimelogCommand = { type: 'Adjust', data: { entryId: 't-2', adjusts: 't-1', input: input('2026-03-09T10:00:00.000Z', '2026-03-09T10:40:00.000Z'), reason: 'forgot', engagement, policy, now } };
      const adjusted = then(approved, adjust);
      expect(adjusted[3]).toMatchObject({ type: 'TimeEntryAdjusted', data: { adjusts: 't-1', actualMinutes: 33, billedMinutes: 30, reason: 'forgot' } });
      expect(when(adjusted, adjust)).toEqual([]);
      expect(() => when(adjusted, { ...adjust, data: { ...adjust.data, entryId: 't-3' } } as TimelogCommand)).toThrow(code('TIME_ENTRY.ALREADY_ADJUSTED'));
      expect(() => when(logged, adjust)).toThrow(code('TIME_ENTRY.NOT_APPROVED'));
      const at = (expectedVersion: number) => ({ ...adjust, data: { ...adjust.data, entryId: 't-9', expectedVersion } }) as TimelogCommand;
      expect(() => when(approved, at(1))).toThrow(code('CONCURRENCY.CONFLICT'));
      expect(when(approved, at(given(...approved).entries['t-1'].version))[0].type).toBe('TimeEntryAdjusted');
      const reapproved = then(adjusted, submit, approve());
      expect(reapproved[5]).toMatchObject({ type: 'TimesheetApproved', data: { billedMinutes: 30, entries: [expect.objectContaining({ entryId: 't-2', adjusts: 't-1' })] } });
    });

    it('keeps a rejected adjusting entry a difference when it is corrected', () => {
      const adjust: TimelogCommand = { type: 'Adjust', data: { entryId: 't-2', adjusts: 't-1', input: input('2026-03-09T10:00:00.000Z', '2026-03-09T10:40:00.000Z'), reason: 'forgot', engagement, policy, now } };
      const reject: TimelogCommand = { type: 'Reject', data: { engagementId: 'e-1', isoWeek: '2026-W11', reason: 'not 40', by: 'client' } };
      const rejected = then(logged, submit, approve(), adjust, submit, reject);
      const fix: TimelogCommand = { type: 'Correct', data: { entryId: 't-2', input: input('2026-03-09T10:00:00.000Z', '2026-03-09T10:50:00.000Z'), engagement, policy, now } };
      // the approved entry had 7 actual / 15 billed; the corrected interval has 50 actual / 60 billed (15 up)
      expect(when(rejected, fix)).toEqual([expect.objectContaining({ type: 'TimeEntryCorrected', data: expect.objectContaining({ entryId: 't-2', actualMinutes: 43, billedMinutes: 45 }) })]);
      const reapproved = then(rejected, fix, submit, approve());
      expect(reapproved[reapproved.length - 1]).toMatchObject({ type: 'TimesheetApproved', data: { billedMinutes: 45, entries: [expect.objectContaining({ entryId: 't-2', adjusts: 't-1', billedMinutes: 45 })] } });
    });

    it('warns once when approved time crosses 80% and 100% of the retainer', () => {
      const at80 = then(logged, submit, approve(18));
      expect(at80.filter((e) => e.type === 'RetainerUsageWarning').map((e) => e.data)).toEqual([expect.objectContaining({ threshold: 80, usedMinutes: 15, includedMinutes: 18, month: '2026-03' })]);
      const more = then(at80, log('t-2', input('2026-03-10T10:00:00.000Z', '2026-03-10T10:10:00.000Z')), submit, approve(18));
      expect(more.slice(at80.length).filter((e) => e.type === 'RetainerUsageWarning').map((e) => e.data)).toEqual([expect.objectContaining({ threshold: 100, usedMinutes: 30 })]);
      const none = then(logged, submit, approve(600));
      expect(none.some((e) => e.type === 'RetainerUsageWarning')).toBe(false);
    });
  });

  describe('timers', () => {
    const start = (at: string): TimelogCommand => ({ type: 'StartTimer', data: { engagement, category: 'data-entry', policy, now: at } });
    const stop = (at: string): TimelogCommand => ({ type: 'StopTimer', data: { entryId: 't-9', assistantId: 'a-1', engagement, policy, now: at } });

    it('runs one timer per assistant: a second start is refused', () => {
      const running = then([], start('2026-03-10T09:00:00.000Z'));
      expect(() => when(running, start('2026-03-10T09:30:00.000Z'))).toThrow(code('TIMER.ALREADY_RUNNING'));
      expect(() => when(running, log('t-2', input('2026-03-10T09:10:00Z', '2026-03-10T09:20:00Z'), other))).toThrow(code('TIME_ENTRY.OVERLAP'));
    });

    it('stops into a logged entry, or without one under a minute; stopping without a timer is refused', () => {
      const stopped = then([], start('2026-03-10T09:00:00.000Z'), stop('2026-03-10T09:20:30.000Z'));
      expect(stopped[2]).toMatchObject({ type: 'TimeEntryLogged', data: { entryId: 't-9', actualMinutes: 20, billedMinutes: 30, source: 'timer' } });
      expect(then([], start('2026-03-10T09:00:00.000Z'), stop('2026-03-10T09:00:30.000Z'))).toHaveLength(2);
      expect(() => when([], stop(now))).toThrow(code('TIMER.NOT_RUNNING'));
      expect(() => when(logged, start('2026-03-09T10:05:00.000Z'))).toThrow(code('TIME_ENTRY.OVERLAP'));
    });

    it('stops nothing for a retried request whose entry was logged, not even a timer started since', () => {
      const stopped = then([], start('2026-03-10T09:00:00.000Z'), stop('2026-03-10T09:20:30.000Z'));
      expect(when(stopped, stop('2026-03-10T09:22:00.000Z'))).toEqual([]);
      const restarted = then(stopped, start('2026-03-10T09:30:00.000Z'));
      expect(when(restarted, stop('2026-03-10T09:45:00.000Z'))).toEqual([]);
    });
  });
});
