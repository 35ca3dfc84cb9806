import { defineErrors } from '@vaops/event-sourcing';

/** How time-tracking refuses time entries, timers and timesheets on an assistant's timelog. */
export const TimelogErrors = defineErrors('time-tracking/timelog', {
  entryNotFound: { code: 'TIME_ENTRY.NOT_FOUND', kind: 'not-found', meaning: 'no such time entry, or not one the caller may see' },
  overlap: { code: 'TIME_ENTRY.OVERLAP', kind: 'rule', meaning: 'the assistant already has time logged (or a timer running) in that interval' },
  outsideEngagement: { code: 'TIME_ENTRY.OUTSIDE_ENGAGEMENT', kind: 'rule', meaning: "the entry starts before the engagement starts or on or after it ends (in the agency's zone)" },
  engagementNotActive: { code: 'TIME_ENTRY.ENGAGEMENT_NOT_ACTIVE', kind: 'rule', meaning: 'the engagement has ended' },
  categoryNotAllowed: { code: 'TIME_ENTRY.CATEGORY_NOT_ALLOWED', kind: 'rule', meaning: "the engagement's phase did not allow the category throughout the entry" },
  endsBeforeStart: { code: 'TIME_ENTRY.ENDS_BEFORE_START', kind: 'invalid', meaning: 'endedAt is not after startedAt' },
  inFuture: { code: 'TIME_ENTRY.IN_FUTURE', kind: 'rule', meaning: 'time is logged once it has been worked' },
  tooShort: { code: 'TIME_ENTRY.TOO_SHORT', kind: 'invalid', meaning: 'an entry lasts at least one minute' },
  tooLong: { code: 'TIME_ENTRY.TOO_LONG', kind: 'invalid', meaning: 'an entry lasts at most 16 hours' },
  locked: { code: 'TIME_ENTRY.LOCKED', kind: 'rule', meaning: 'approved time is locked: log an adjusting entry instead' },
  notApproved: { code: 'TIME_ENTRY.NOT_APPROVED', kind: 'rule', meaning: 'only approved time is adjusted; edit the entry instead' },
  alreadyAdjusted: { code: 'TIME_ENTRY.ALREADY_ADJUSTED', kind: 'rule', meaning: 'the entry was adjusted already: adjust the latest adjusting entry' },
  timerAlreadyRunning: { code: 'TIMER.ALREADY_RUNNING', kind: 'rule', meaning: 'a timer is already running: stop it first' },
  timerNotRunning: { code: 'TIMER.NOT_RUNNING', kind: 'rule', meaning: 'no timer is running' },
  timesheetUnderReview: { code: 'TIMESHEET.UNDER_REVIEW', kind: 'rule', meaning: 'the week is submitted for approval: reject it or wait for approval' },
  nothingToSubmit: { code: 'TIMESHEET.NOTHING_TO_SUBMIT', kind: 'rule', meaning: 'the week has no open time to submit' },
  timesheetNotSubmitted: { code: 'TIMESHEET.NOT_SUBMITTED', kind: 'rule', meaning: 'the week is not submitted, so it is neither approved nor rejected' },
  timesheetNotFound: { code: 'TIMESHEET.NOT_FOUND', kind: 'not-found', meaning: 'nothing had happened in the week at the instant asked for (asOf)' },
  retainerNotFound: { code: 'RETAINER.NOT_FOUND', kind: 'not-found', meaning: 'the engagement has no retainer plan' },
});
