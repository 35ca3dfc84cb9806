/**
 * Public events of the time-tracking service, schema version 1 (stream `timelog-<assistantId>`, one
 * per assistant: every entry, timer and timesheet of the assistant is decided at its version).
 * Documented in docs/events.md. Adding an optional field keeps the version; anything else is a new
 * version beside this one.
 */

/** Agency rounding of billed time: applied once per entry, when the entry is logged or changed. */
export interface RoundingRuleV1 {
  minutes: 0 | 6 | 15;
  mode: 'up' | 'nearest';
}

interface EntryParties {
  entryId: string;
  engagementId: string;
  assistantId: string;
  clientId: string;
}

export interface TimeEntryValuesV1 {
  /** Duty category id (libs/contracts duty-catalog). */
  category: string;
  /** ISO-8601 UTC instants. */
  startedAt: string;
  endedAt: string;
  /**
   * Whole minutes between start and end (seconds below a minute are not counted).
   * @asType integer
   */
  actualMinutes: number;
  /**
   * actualMinutes rounded by the agency's rule; 0 when not billable. Never replaces actualMinutes.
   * @asType integer
   */
  billedMinutes: number;
  billable: boolean;
  notes: string | null;
  /** ISO week (`2026-W11`) of startedAt in the assistant's zone: the timesheet the entry belongs to. */
  isoWeek: string;
  /** YYYY-MM of startedAt in the agency's zone: the retainer month the entry counts towards. */
  month: string;
  rounding: RoundingRuleV1;
}

export interface TimeEntryLoggedV1 extends EntryParties, TimeEntryValuesV1 {
  source: 'manual' | 'timer';
}

/** An open or rejected entry edited before approval: the values replace the previous ones. */
export interface TimeEntryCorrectedV1 extends EntryParties, TimeEntryValuesV1 {}

/**
 * An adjusting entry for an approved (locked) one. Its `actualMinutes`/`billedMinutes` are the
 * DIFFERENCE to the entry it adjusts (may be negative), so the sum of approved entries stays true;
 * startedAt/endedAt are the corrected interval. It goes through approval like any entry.
 */
export interface TimeEntryAdjustedV1 extends EntryParties, TimeEntryValuesV1 {
  adjusts: string;
  reason: string;
}

interface TimesheetRef {
  engagementId: string;
  assistantId: string;
  clientId: string;
  /** `2026-W11`, in the assistant's zone. */
  isoWeek: string;
}

export type TimesheetActor = 'agency' | 'assistant' | 'client';

export interface TimesheetSubmittedV1 extends TimesheetRef {
  entryIds: string[];
}

export interface ApprovedEntryV1 {
  entryId: string;
  category: string;
  startedAt: string;
  endedAt: string;
  actualMinutes: number;
  billedMinutes: number;
  billable: boolean;
  month: string;
  adjusts: string | null;
}

export interface TimesheetApprovedV1 extends TimesheetRef {
  entries: ApprovedEntryV1[];
  /** Sum of billedMinutes of the billable entries approved here (adjustments included, signed). */
  billedMinutes: number;
  approvedBy: TimesheetActor;
}

export interface TimesheetRejectedV1 extends TimesheetRef {
  entryIds: string[];
  reason: string;
  rejectedBy: TimesheetActor;
}

export interface RetainerUsageWarningV1 {
  engagementId: string;
  assistantId: string;
  clientId: string;
  /** YYYY-MM in the agency's zone. */
  month: string;
  threshold: 80 | 100;
  usedMinutes: number;
  includedMinutes: number;
}
