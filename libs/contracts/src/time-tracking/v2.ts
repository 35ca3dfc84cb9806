import type { PersonalData } from '../personal-data';
import type { TimeEntryAdjustedV1, TimeEntryCorrectedV1, TimeEntryLoggedV1, TimeEntryValuesV1, TimesheetRejectedV1 } from './v1';

/*
 * Free text of time entries and timesheets, schema version 2 (published since issue 15, item 4): an
 * entry's notes, an adjustment's reason and a rejection's reason are encrypted under the engagement's
 * key, which names its client and assistant, so erasing either makes them unreadable. Minutes, dates
 * and ids stay plain. The v1 events carried plaintext; they are upcast on read, their text sealed by
 * the consumer.
 */

export interface TimeEntryValuesV2 extends Omit<TimeEntryValuesV1, 'notes'> {
  /** The assistant's notes, encrypted under the engagement's key; null when none were given. */
  notes: PersonalData | null;
}

export interface TimeEntryLoggedV2 extends Omit<TimeEntryLoggedV1, 'notes'> {
  notes: PersonalData | null;
}

export interface TimeEntryCorrectedV2 extends Omit<TimeEntryCorrectedV1, 'notes'> {
  notes: PersonalData | null;
}

export interface TimeEntryAdjustedV2 extends Omit<TimeEntryAdjustedV1, 'notes' | 'reason'> {
  notes: PersonalData | null;
  reason: PersonalData;
}

export interface TimesheetRejectedV2 extends Omit<TimesheetRejectedV1, 'reason'> {
  reason: PersonalData;
}
