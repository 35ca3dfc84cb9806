import type { RoundingRuleV1, StoredEventOf } from '@vaops/contracts';

// ---------------------------------------------------------------- events

export interface TimerStartedData {
  assistantId: string;
  engagementId: string;
  clientId: string;
  category: string;
  startedAt: string;
}

/**
 * One stream per assistant (`timelog-<assistantId>`): entries of all their clients, their one timer and
 * their timesheets are decided at its version, so overlaps and locks hold under concurrency. Its public
 * events as they are published (notes and reasons under the engagement's key); the timer stays private.
 */
export type TimelogEvent =
  | StoredEventOf<'TimeEntryLogged' | 'TimeEntryCorrected' | 'TimeEntryAdjusted' | 'TimesheetSubmitted' | 'TimesheetApproved' | 'TimesheetRejected' | 'RetainerUsageWarning'>
  | { type: 'TimerStarted'; data: TimerStartedData }
  | { type: 'TimerStopped'; data: { assistantId: string; stoppedAt: string; entryId: string | null } };

/** A logged entry's values as the timelog stores them. */
export type TimeEntryLoggedData = Extract<TimelogEvent, { type: 'TimeEntryLogged' }>['data'];

// ---------------------------------------------------------------- state

export type EntryStatus = 'open' | 'submitted' | 'approved' | 'rejected';

export interface Entry extends Omit<TimeEntryLoggedData, 'source'> {
  status: EntryStatus;
  adjusts: string | null;
  /** The adjusting entry that replaced this approved one (its interval no longer counts for overlaps). */
  supersededBy: string | null;
  version: number;
}

export interface TimelogState {
  entries: Record<string, Entry>;
  timer: TimerStartedData | null;
  /** `${engagementId}/${month}` → thresholds already warned. */
  warned: Record<string, number[]>;
  /**
   * `${engagementId}/${isoWeek}` → the week's version: one per submit, approve or reject (what a
   * timesheet's ETag and If-Match carry). Entries change only while a week is open or rejected, and
   * reach a reviewer only through a new submission, which moves the version.
   */
  sheets: Record<string, number>;
}

export const initialTimelogState = (): TimelogState => ({ entries: {}, timer: null, warned: {}, sheets: {} });

export const sheetKey = (engagementId: string, isoWeek: string): string => `${engagementId}/${isoWeek}`;

/** The version of a week's timesheet: 0 until it is first submitted. */
export const sheetVersion = (state: TimelogState, engagementId: string, isoWeek: string): number => state.sheets[sheetKey(engagementId, isoWeek)] ?? 0;

const reviewed = (state: TimelogState, engagementId: string, isoWeek: string): TimelogState => ({
  ...state,
  sheets: { ...state.sheets, [sheetKey(engagementId, isoWeek)]: sheetVersion(state, engagementId, isoWeek) + 1 },
});

const setEntry = (state: TimelogState, id: string, change: Partial<Entry>): TimelogState => {
  const current = state.entries[id];
  if (!current) return state;
  return { ...state, entries: { ...state.entries, [id]: { ...current, ...change, version: current.version + 1 } } };
};

const setMany = (state: TimelogState, ids: string[], status: EntryStatus): TimelogState => ids.reduce((s, id) => setEntry(s, id, { status }), state);

export function evolveTimelog(state: TimelogState, event: TimelogEvent): TimelogState {
  switch (event.type) {
    case 'TimeEntryLogged': {
      const { source: _source, ...d } = event.data;
      return { ...state, entries: { ...state.entries, [d.entryId]: { ...d, status: 'open', adjusts: null, supersededBy: null, version: 1 } } };
    }
    case 'TimeEntryCorrected':
      return setEntry(state, event.data.entryId, { ...event.data, status: 'open' });
    case 'TimeEntryAdjusted': {
      const { reason: _reason, ...d } = event.data;
      const withNew = { ...state, entries: { ...state.entries, [d.entryId]: { ...d, status: 'open' as const, supersededBy: null, version: 1 } } };
      return setEntry(withNew, d.adjusts, { supersededBy: d.entryId });
    }
    case 'TimesheetSubmitted':
      return reviewed(setMany(state, event.data.entryIds, 'submitted'), event.data.engagementId, event.data.isoWeek);
    case 'TimesheetApproved':
      return reviewed(
        setMany(
          state,
          event.data.entries.map((e) => e.entryId),
          'approved',
        ),
        event.data.engagementId,
        event.data.isoWeek,
      );
    case 'TimesheetRejected':
      return reviewed(setMany(state, event.data.entryIds, 'rejected'), event.data.engagementId, event.data.isoWeek);
    case 'RetainerUsageWarning': {
      const key = `${event.data.engagementId}/${event.data.month}`;
      return { ...state, warned: { ...state.warned, [key]: [...(state.warned[key] ?? []), event.data.threshold] } };
    }
    case 'TimerStarted':
      return { ...state, timer: event.data };
    case 'TimerStopped':
      return { ...state, timer: null };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

export const timelogStreamId = (assistantId: string): string => `timelog-${assistantId}`;

// ---------------------------------------------------------------- time and rounding

/** Whole minutes between two instants; seconds below a minute are not counted. */
export const actualMinutesOf = (startedAt: string, endedAt: string): number => Math.floor((Date.parse(endedAt) - Date.parse(startedAt)) / 60_000);

/**
 * THE one place billed time is computed, per entry, from its actual minutes and the agency's rule at
 * the time the entry is logged or changed (kept on the entry). `nearest` rounds half up.
 */
export function billedMinutesOf(actualMinutes: number, billable: boolean, rule: RoundingRuleV1): number {
  if (!billable) return 0;
  if (rule.minutes === 0) return actualMinutes;
  const step = rule.minutes;
  return rule.mode === 'up' ? Math.ceil(actualMinutes / step) * step : Math.floor((actualMinutes + step / 2) / step) * step;
}

// The calendar rules every service shares (libs/contracts/src/calendar.ts). Here: an entry's timesheet
// week is its ISO week in the ASSISTANT's zone (the week it starts in); its retainer month is the month
// in the agency's zone.
export { isoWeekOf, localDate, monthOf } from '@vaops/contracts';
