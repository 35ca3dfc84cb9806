import { defineErrors } from '@vaops/event-sourcing';

/** How the clients service refuses a change to an engagement (ENGAGEMENT.NOT_FOUND: libs/platform resource.errors.ts). */
export const EngagementErrors = defineErrors('clients/engagement', {
  alreadyExists: { code: 'ENGAGEMENT.ALREADY_EXISTS', kind: 'conflict', meaning: 'another engagement already has this id' },
  ended: { code: 'ENGAGEMENT.ENDED', kind: 'rule', meaning: 'the engagement has ended: nothing about it changes any more' },
  currencyMismatch: { code: 'ENGAGEMENT.CURRENCY_MISMATCH', kind: 'rule', meaning: 'the plan is in another currency than the client is billed in' },
  phaseUnchanged: { code: 'ENGAGEMENT.PHASE_UNCHANGED', kind: 'rule', meaning: 'the engagement is already in that phase' },
  planRetroactive: { code: 'ENGAGEMENT.PLAN_RETROACTIVE', kind: 'rule', meaning: 'a plan change takes effect today or later, never before the engagement started' },
  alreadyInNotice: { code: 'ENGAGEMENT.ALREADY_IN_NOTICE', kind: 'rule', meaning: 'notice was already given' },
  noticeRequired: { code: 'ENGAGEMENT.NOTICE_REQUIRED', kind: 'rule', meaning: 'an engagement ends only after notice has run its period, or as a recorded breach' },
  noticeRunning: { code: 'ENGAGEMENT.NOTICE_RUNNING', kind: 'rule', meaning: 'the notice period has not run yet' },
  fullTimeNotExclusive: { code: 'ENGAGEMENT.FULL_TIME_NOT_EXCLUSIVE', kind: 'rule', meaning: 'a full-time engagement needs an assistant without other engagements (decided on the assistant)' },
  communicationInFuture: { code: 'COMMUNICATION.IN_FUTURE', kind: 'invalid', meaning: 'a logged communication occurred in the future (more than 5 minutes ahead)' },
});

/** How the clients service refuses a handover of an engagement in notice to a replacement. */
export const HandoverErrors = defineErrors('clients/handover', {
  notFound: { code: 'HANDOVER.NOT_FOUND', kind: 'not-found', meaning: 'the engagement has no handover, or not one the caller may see' },
  notInNotice: { code: 'HANDOVER.NOT_IN_NOTICE', kind: 'rule', meaning: 'only an engagement in notice is handed over' },
  dateOutsideNotice: { code: 'HANDOVER.DATE_OUTSIDE_NOTICE', kind: 'rule', meaning: "handoverOn lies from today (agency zone) up to the day before the notice's end" },
  sameAssistant: { code: 'HANDOVER.SAME_ASSISTANT', kind: 'invalid', meaning: 'the replacement is the outgoing assistant' },
  phaseAboveCurrent: { code: 'HANDOVER.PHASE_ABOVE_CURRENT', kind: 'invalid', meaning: 'a replacement starts at the current trust phase or lower (restart at I), never above it' },
  alreadyPlanned: { code: 'HANDOVER.ALREADY_PLANNED', kind: 'rule', meaning: 'a handover of this engagement stands; cancel it first' },
  notPlanned: { code: 'HANDOVER.NOT_PLANNED', kind: 'rule', meaning: 'no handover of this engagement stands' },
  alreadyStarted: { code: 'HANDOVER.ALREADY_STARTED', kind: 'rule', meaning: "the handover day has come: the replacement gives notice like anyone else" },
});
