import { isCategoryAllowedAt, type RoundingRuleV1, type SealedText, type TimeEntryValuesV1, type TimesheetActor, type RetainerUsageWarningV1 } from '@vaops/contracts';
import { ConcurrencyConflictError, defineDecider } from '@vaops/event-sourcing';
import type { EngagementFacts as KitEngagementFacts } from '@vaops/facts';
import { actualMinutesOf, billedMinutesOf, evolveTimelog, initialTimelogState, isoWeekOf, localDate, monthOf, sheetKey, sheetVersion, type Entry, type TimelogEvent, type TimelogState } from './timelog';
import { TimelogErrors } from './timelog.errors';

/**
 * What time-tracking knows of an engagement (the facts kit's, from the clients service's events): its
 * parties, status, start (YYYY-MM-DD in the agency's zone), the day it ends (entries must start before
 * it) and its phases.
 */
export type EngagementFacts = Omit<KitEngagementFacts<'status' | 'startsOn' | 'endsOn' | 'phaseHistory'>, 'agencyId'>;

/** Zones and the rounding rule an entry is computed with, gathered by the caller from read models. */
export interface EntryPolicy {
  assistantZone: string;
  agencyZone: string;
  rounding: RoundingRuleV1;
}

export interface EntryInput {
  category: string;
  startedAt: string;
  endedAt: string;
  billable: boolean;
  /** Sealed by the route (under the engagement's key): the decider never needs the text. */
  notes: SealedText | null;
}

/** An entry's values as the decider records them. */
type EntryValues = Omit<TimeEntryValuesV1, 'notes'> & { notes: SealedText | null };

export interface SheetToApprove {
  engagementId: string;
  isoWeek: string;
  /** Retainer hours included per month (in minutes), or null for an hourly plan. */
  includedMinutes: number | null;
  /** The week's version the caller saw (If-Match); a stale one is a conflict. */
  expectedVersion?: number;
}

export type TimelogCommand =
  | { type: 'Log'; data: { entryId: string; input: EntryInput; engagement: EngagementFacts; policy: EntryPolicy; now: string } }
  | { type: 'Correct'; data: { entryId: string; input: EntryInput; engagement: EngagementFacts; policy: EntryPolicy; now: string; expectedVersion?: number } }
  | { type: 'Adjust'; data: { entryId: string; adjusts: string; input: EntryInput; reason: SealedText; engagement: EngagementFacts; policy: EntryPolicy; now: string; expectedVersion?: number } }
  | { type: 'StartTimer'; data: { engagement: EngagementFacts; category: string; policy: EntryPolicy; now: string } }
  | { type: 'StopTimer'; data: { entryId: string; assistantId: string; engagement: EngagementFacts | null; policy: EntryPolicy; now: string } }
  | { type: 'Submit'; data: { engagementId: string; isoWeek: string; expectedVersion?: number } }
  | { type: 'Approve'; data: { sheets: SheetToApprove[]; by: TimesheetActor } }
  | { type: 'Reject'; data: { engagementId: string; isoWeek: string; reason: SealedText; by: TimesheetActor; expectedVersion?: number } };

/** The longest a single entry may last. */
export const MAX_ENTRY_MINUTES = 16 * 60;

const ms = (iso: string) => Date.parse(iso);

/** The other entry is never described: no id, no client, no engagement. */
const overlap = () => TimelogErrors.overlap('the assistant already has time logged in that interval');

function entry(state: TimelogState, id: string): Entry {
  const e = state.entries[id];
  if (!e) throw TimelogErrors.entryNotFound(`time entry ${id} not found`);
  return e;
}

/** The engagement was active on the entry's start day, and its phase allowed the category throughout. */
function checkEngagement(input: Pick<EntryInput, 'category' | 'startedAt' | 'endedAt'>, engagement: EngagementFacts, policy: EntryPolicy): void {
  const day = localDate(input.startedAt, policy.agencyZone);
  if (day < engagement.startsOn || (engagement.endsOn !== null && day >= engagement.endsOn)) {
    throw TimelogErrors.outsideEngagement(`time is logged on or after ${engagement.startsOn}${engagement.endsOn ? ` and before ${engagement.endsOn}` : ''}`);
  }
  if (engagement.status === 'ended' && engagement.endsOn === null) throw TimelogErrors.engagementNotActive('the engagement has ended');
  const lastMs = new Date(Math.max(ms(input.startedAt), ms(input.endedAt) - 1)).toISOString();
  if (!isCategoryAllowedAt(engagement.phaseHistory, input.category, input.startedAt) || !isCategoryAllowedAt(engagement.phaseHistory, input.category, lastMs)) {
    throw TimelogErrors.categoryNotAllowed(`the engagement's phase did not allow ${input.category} at that time`);
  }
}

/** Entries whose interval counts: not replaced by an adjustment, not `except`. */
function checkNoOverlap(state: TimelogState, startedAt: string, endedAt: string, except: string[] = []): void {
  const s = ms(startedAt);
  const e = ms(endedAt);
  for (const o of Object.values(state.entries)) {
    if (o.supersededBy !== null || except.includes(o.entryId)) continue;
    if (s < ms(o.endedAt) && ms(o.startedAt) < e) throw overlap();
  }
  // a running timer holds everything from its start on
  if (state.timer && e > ms(state.timer.startedAt)) throw overlap();
}

function values(input: EntryInput, engagement: EngagementFacts, policy: EntryPolicy, now: string): EntryValues {
  if (ms(input.endedAt) <= ms(input.startedAt)) throw TimelogErrors.endsBeforeStart('endedAt must be after startedAt', { field: 'endedAt' });
  if (ms(input.endedAt) > ms(now)) throw TimelogErrors.inFuture('time is logged once it has been worked');
  const actualMinutes = actualMinutesOf(input.startedAt, input.endedAt);
  if (actualMinutes < 1) throw TimelogErrors.tooShort('an entry lasts at least one minute', { field: 'endedAt' });
  if (actualMinutes > MAX_ENTRY_MINUTES) throw TimelogErrors.tooLong(`an entry lasts at most ${MAX_ENTRY_MINUTES} minutes`, { field: 'endedAt' });
  checkEngagement(input, engagement, policy);
  return {
    category: input.category,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    actualMinutes,
    billedMinutes: billedMinutesOf(actualMinutes, input.billable, policy.rounding),
    billable: input.billable,
    notes: input.notes,
    isoWeek: isoWeekOf(input.startedAt, policy.assistantZone),
    month: monthOf(input.startedAt, policy.agencyZone),
    rounding: policy.rounding,
  };
}

/** New time may not be added to a week whose timesheet is under review. */
function checkWeekOpen(state: TimelogState, engagementId: string, isoWeek: string): void {
  if (Object.values(state.entries).some((e) => e.engagementId === engagementId && e.isoWeek === isoWeek && e.status === 'submitted')) {
    throw TimelogErrors.timesheetUnderReview(`the timesheet of ${isoWeek} is submitted; reject it or wait for approval`);
  }
}

/** If-Match on a week: the version it names must be the week's version now. */
function checkSheetVersion(state: TimelogState, engagementId: string, isoWeek: string, expectedVersion: number | undefined): void {
  const actual = sheetVersion(state, engagementId, isoWeek);
  if (expectedVersion !== undefined && expectedVersion !== actual) throw new ConcurrencyConflictError(`timesheet ${sheetKey(engagementId, isoWeek)}`, expectedVersion, actual);
}

const sheetEntries = (state: TimelogState, engagementId: string, isoWeek: string, statuses: Entry['status'][]) =>
  Object.values(state.entries).filter((e) => e.engagementId === engagementId && e.isoWeek === isoWeek && statuses.includes(e.status));

const approvedUse = (state: TimelogState, engagementId: string, month: string) =>
  Object.values(state.entries)
    .filter((e) => e.engagementId === engagementId && e.month === month && e.status === 'approved' && e.billable)
    .reduce((sum, e) => sum + e.billedMinutes, 0);

export const timelogDecider = defineDecider<TimelogCommand, TimelogEvent, TimelogState>({
  initialState: initialTimelogState,
  evolve: evolveTimelog,
  decide: {
    Log(command, state) {
      const { entryId, input, engagement, policy, now } = command.data;
      if (state.entries[entryId]) return []; // a retried request
      const v = values(input, engagement, policy, now);
      checkNoOverlap(state, v.startedAt, v.endedAt);
      checkWeekOpen(state, engagement.engagementId, v.isoWeek);
      const { engagementId, clientId, assistantId } = engagement;
      return [{ type: 'TimeEntryLogged', data: { entryId, engagementId, assistantId, clientId, ...v, source: 'manual' } }];
    },
    Correct(command, state) {
      const { entryId, input, engagement, policy, now, expectedVersion } = command.data;
      const e = entry(state, entryId);
      if (expectedVersion !== undefined && expectedVersion !== e.version) throw new ConcurrencyConflictError(entryId, expectedVersion, e.version);
      if (e.status === 'approved') throw TimelogErrors.locked('approved time is locked: log an adjusting entry instead');
      if (e.status === 'submitted') throw TimelogErrors.timesheetUnderReview('the entry is submitted for approval');
      const v = values(input, engagement, policy, now);
      // an adjusting entry (rejected, say) stays a difference to the approved entry it adjusts
      const original = e.adjusts ? entry(state, e.adjusts) : null;
      checkNoOverlap(state, v.startedAt, v.endedAt, original ? [entryId, original.entryId] : [entryId]);
      if (v.isoWeek !== e.isoWeek) checkWeekOpen(state, engagement.engagementId, v.isoWeek);
      const minutes = original ? { actualMinutes: v.actualMinutes - original.actualMinutes, billedMinutes: v.billedMinutes - original.billedMinutes } : {};
      return [{ type: 'TimeEntryCorrected', data: { entryId, engagementId: e.engagementId, assistantId: e.assistantId, clientId: e.clientId, ...v, ...minutes } }];
    },
    Adjust(command, state) {
      const { entryId, adjusts, input, reason, engagement, policy, now, expectedVersion } = command.data;
      if (state.entries[entryId]) return [];
      const original = entry(state, adjusts);
      // If-Match names the version of the entry being adjusted
      if (expectedVersion !== undefined && expectedVersion !== original.version) throw new ConcurrencyConflictError(adjusts, expectedVersion, original.version);
      if (original.status !== 'approved') throw TimelogErrors.notApproved('only approved time is adjusted; edit this entry instead');
      if (original.supersededBy !== null) throw TimelogErrors.alreadyAdjusted('adjust the latest adjusting entry instead');
      const v = values(input, engagement, policy, now);
      checkNoOverlap(state, v.startedAt, v.endedAt, [adjusts]);
      checkWeekOpen(state, engagement.engagementId, v.isoWeek);
      const { engagementId, clientId, assistantId } = original;
      return [
        {
          type: 'TimeEntryAdjusted',
          data: { entryId, engagementId, assistantId, clientId, ...v, actualMinutes: v.actualMinutes - original.actualMinutes, billedMinutes: v.billedMinutes - original.billedMinutes, adjusts, reason },
        },
      ];
    },
    StartTimer(command, state) {
      const { engagement, category, policy, now } = command.data;
      if (state.timer) throw TimelogErrors.timerAlreadyRunning('a timer is already running: stop it first');
      checkEngagement({ category, startedAt: now, endedAt: now }, engagement, policy);
      if (Object.values(state.entries).some((o) => o.supersededBy === null && ms(o.endedAt) > ms(now))) throw overlap();
      const { engagementId, clientId, assistantId } = engagement;
      return [{ type: 'TimerStarted', data: { assistantId, engagementId, clientId, category, startedAt: now } }];
    },
    StopTimer(command, state) {
      const { entryId, assistantId, engagement, policy, now } = command.data;
      if (state.entries[entryId]) return []; // a retried request: this stop logged its entry (a timer running now is another one)
      const timer = state.timer;
      if (!timer) throw TimelogErrors.timerNotRunning('no timer is running');
      const actual = actualMinutesOf(timer.startedAt, now);
      // under a minute, or no longer loggable (engagement gone): the timer stops without an entry
      if (actual < 1 || !engagement) return [{ type: 'TimerStopped', data: { assistantId, stoppedAt: now, entryId: null } }];
      const input: EntryInput = { category: timer.category, startedAt: timer.startedAt, endedAt: now, billable: true, notes: null };
      const v = values({ ...input, endedAt: actual > MAX_ENTRY_MINUTES ? new Date(ms(timer.startedAt) + MAX_ENTRY_MINUTES * 60_000).toISOString() : now }, engagement, policy, now);
      return [
        { type: 'TimerStopped', data: { assistantId, stoppedAt: now, entryId } },
        { type: 'TimeEntryLogged', data: { entryId, engagementId: timer.engagementId, assistantId, clientId: timer.clientId, ...v, source: 'timer' } },
      ];
    },
    Submit(command, state) {
      const { engagementId, isoWeek, expectedVersion } = command.data;
      checkSheetVersion(state, engagementId, isoWeek, expectedVersion);
      const entries = sheetEntries(state, engagementId, isoWeek, ['open', 'rejected']);
      if (entries.length === 0) throw TimelogErrors.nothingToSubmit(`no open time in ${isoWeek}`);
      const { assistantId, clientId } = entries[0];
      return [{ type: 'TimesheetSubmitted', data: { engagementId, assistantId, clientId, isoWeek, entryIds: entries.map((e) => e.entryId) } }];
    },
    Approve(command, state) {
      const { sheets, by } = command.data;
      const events: TimelogEvent[] = [];
      let s = state;
      for (const sheet of sheets) {
        checkSheetVersion(s, sheet.engagementId, sheet.isoWeek, sheet.expectedVersion);
        const entries = sheetEntries(s, sheet.engagementId, sheet.isoWeek, ['submitted']);
        if (entries.length === 0) {
          if (sheets.length === 1) throw TimelogErrors.timesheetNotSubmitted(`the timesheet of ${sheet.isoWeek} is not submitted`);
          continue;
        }
        const { assistantId, clientId } = entries[0];
        const approved: TimelogEvent = {
          type: 'TimesheetApproved',
          data: {
            engagementId: sheet.engagementId,
            assistantId,
            clientId,
            isoWeek: sheet.isoWeek,
            entries: entries.map((e) => ({ entryId: e.entryId, category: e.category, startedAt: e.startedAt, endedAt: e.endedAt, actualMinutes: e.actualMinutes, billedMinutes: e.billedMinutes, billable: e.billable, month: e.month, adjusts: e.adjusts })),
            billedMinutes: entries.filter((e) => e.billable).reduce((sum, e) => sum + e.billedMinutes, 0),
            approvedBy: by,
          },
        };
        const months = [...new Set(entries.map((e) => e.month))];
        const before = new Map(months.map((m) => [m, approvedUse(s, sheet.engagementId, m)]));
        s = evolveTimelog(s, approved);
        events.push(approved);
        if (sheet.includedMinutes === null || sheet.includedMinutes <= 0) continue;
        for (const month of months) {
          const used = approvedUse(s, sheet.engagementId, month);
          for (const threshold of [80, 100] as const) {
            const at = (sheet.includedMinutes * threshold) / 100;
            if ((before.get(month) ?? 0) < at && used >= at && !(s.warned[`${sheet.engagementId}/${month}`] ?? []).includes(threshold)) {
              const data: RetainerUsageWarningV1 = { engagementId: sheet.engagementId, assistantId, clientId, month, threshold, usedMinutes: used, includedMinutes: sheet.includedMinutes };
              const warning: TimelogEvent = { type: 'RetainerUsageWarning', data };
              s = evolveTimelog(s, warning);
              events.push(warning);
            }
          }
        }
      }
      return events;
    },
    Reject(command, state) {
      const { engagementId, isoWeek, reason, by, expectedVersion } = command.data;
      checkSheetVersion(state, engagementId, isoWeek, expectedVersion);
      const entries = sheetEntries(state, engagementId, isoWeek, ['submitted']);
      if (entries.length === 0) throw TimelogErrors.timesheetNotSubmitted(`the timesheet of ${isoWeek} is not submitted`);
      const { assistantId, clientId } = entries[0];
      return [{ type: 'TimesheetRejected', data: { engagementId, assistantId, clientId, isoWeek, entryIds: entries.map((e) => e.entryId), reason, rejectedBy: by } }];
    },
  },
});
