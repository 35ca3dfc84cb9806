import { defineErrors } from '@vaops/event-sourcing';

/** How scheduling refuses to book, move, cancel or keep an appointment. */
export const CalendarErrors = defineErrors('scheduling/calendar', {
  notFound: { code: 'APPOINTMENT.NOT_FOUND', kind: 'not-found', meaning: 'no such appointment, or not one the caller may see' },
  conflict: { code: 'APPOINTMENT.CONFLICT', kind: 'conflict', meaning: "the assistant is not available at that time (the other appointment is never described)" },
  notBooked: { code: 'APPOINTMENT.NOT_BOOKED', kind: 'rule', meaning: 'the appointment was already cancelled or kept' },
  endsBeforeStart: { code: 'APPOINTMENT.ENDS_BEFORE_START', kind: 'invalid', meaning: 'endsAt is not after startsAt' },
  inPast: { code: 'APPOINTMENT.IN_PAST', kind: 'rule', meaning: 'an appointment is booked or moved into the future only' },
  engagementNotActive: { code: 'APPOINTMENT.ENGAGEMENT_NOT_ACTIVE', kind: 'rule', meaning: 'the engagement has ended' },
  outsideEngagement: { code: 'APPOINTMENT.OUTSIDE_ENGAGEMENT', kind: 'rule', meaning: "the slot falls before the engagement starts or on or after it ends (in the agency's zone)" },
  outsideWorkingHours: { code: 'APPOINTMENT.OUTSIDE_WORKING_HOURS', kind: 'rule', meaning: "the slot is outside the assistant's working hours, and the agency did not allow it" },
  alreadyStarted: { code: 'APPOINTMENT.ALREADY_STARTED', kind: 'rule', meaning: 'an appointment that has started is neither moved nor cancelled' },
  notStarted: { code: 'APPOINTMENT.NOT_STARTED', kind: 'rule', meaning: 'an appointment is kept only once it has started' },
});
