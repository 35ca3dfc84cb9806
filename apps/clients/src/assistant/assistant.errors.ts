import { defineErrors } from '@vaops/event-sourcing';

/** How the clients service refuses to register or commit an assistant (ASSISTANT.NOT_FOUND: libs/platform resource.errors.ts). */
export const AssistantErrors = defineErrors('clients/assistant', {
  capacityOutOfRange: { code: 'ASSISTANT.CAPACITY_OUT_OF_RANGE', kind: 'invalid', meaning: 'weekly capacity is not within 1..168 hours in whole minutes' },
  workingHoursInvalid: { code: 'ASSISTANT.WORKING_HOURS_INVALID', kind: 'invalid', meaning: 'working hours on a day end before they start' },
  fullTimeEngaged: { code: 'ASSISTANT.FULL_TIME_ENGAGED', kind: 'rule', meaning: 'the assistant holds a full-time engagement and takes no other' },
  capacityExceeded: { code: 'ASSISTANT.CAPACITY_EXCEEDED', kind: 'rule', meaning: "the engagement would commit the assistant beyond their weekly capacity (unless overridden with a reason)" },
});
