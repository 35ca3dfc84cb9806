import type { EventEnvelope } from '../envelope';

/**
 * Public events of the scheduling service, schema version 1 (stream `calendar-<assistantId>`, one
 * per assistant calendar). Documented in docs/events.md. Adding an optional field keeps the version;
 * anything else is a new version beside this one.
 */
export const APPOINTMENT_KINDS = ['check-in', 'video-conference', 'review', 'deadline'] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];

/** Who moved or cancelled an appointment: reliability is counted per side (clients miss calls too). */
export type AppointmentActor = 'agency' | 'assistant' | 'client' | 'system';

export type RecurrenceEvery = 'week' | '2-weeks';

/** A series is stored as local time plus zone, so it keeps its wall-clock time across DST changes. */
export interface RecurrenceV1 {
  seriesId: string;
  every: RecurrenceEvery;
  /** "HH:mm" in `zone` (the client's zone). */
  localStart: string;
  zone: string;
  /** 0-based position of this occurrence in the series. */
  occurrence: number;
  count: number;
}

interface AppointmentParties {
  appointmentId: string;
  engagementId: string;
  assistantId: string;
  clientId: string;
}

export interface AppointmentBookedV1 extends AppointmentParties {
  kind: AppointmentKind;
  /** ISO-8601 UTC instants. */
  startsAt: string;
  endsAt: string;
  title: string | null;
  bookedBy: AppointmentActor;
  /** Set for an occurrence of a recurring series; each occurrence is its own appointment. */
  recurrence: RecurrenceV1 | null;
}

export interface AppointmentRescheduledV1 extends AppointmentParties {
  previousStartsAt: string;
  previousEndsAt: string;
  startsAt: string;
  endsAt: string;
  reason: string;
  by: AppointmentActor;
  /** Later than the agency's minimumNoticeHours before the previous start. */
  late: boolean;
}

export interface AppointmentCancelledV1 extends AppointmentParties {
  reason: string;
  by: AppointmentActor;
  late: boolean;
}

export interface AppointmentKeptV1 extends AppointmentParties {
  by: AppointmentActor;
}

export interface AppointmentNoShowV1 extends AppointmentParties {
  /** The end that passed without the appointment being marked kept. */
  endsAt: string;
}

/** An appointment of the outgoing assistant that a handover moved: its copy on the replacement's calendar. */
export interface HandoverMoveV1 {
  appointmentId: string;
  newAppointmentId: string;
  kind: AppointmentKind;
  startsAt: string;
  endsAt: string;
  seriesId: string | null;
}

/** An appointment a handover could not move (it stays with the outgoing assistant until the agency resolves it). */
export interface HandoverConflictV1 {
  appointmentId: string;
  kind: AppointmentKind;
  startsAt: string;
  endsAt: string;
  seriesId: string | null;
  /** The refusal's code: APPOINTMENT.CONFLICT (the replacement is busy), APPOINTMENT.OUTSIDE_WORKING_HOURS, ... */
  reason: string;
}

/** The handover appointment between both assistants and the client (one appointment on each calendar). */
export interface HandoverMeetingV1 {
  startsAt: string;
  endsAt: string;
  outgoingAppointmentId: string;
  replacementAppointmentId: string;
}

/** What the scheduling service did for a planned handover (stream `handover-<newEngagementId>`). */
export interface HandoverScheduledV1 {
  engagementId: string;
  newEngagementId: string;
  clientId: string;
  outgoingAssistantId: string;
  replacementAssistantId: string;
  handoverOn: string;
  moved: HandoverMoveV1[];
  conflicts: HandoverConflictV1[];
  /** null when both assistants had no common free slot (see the README's rule). */
  meeting: HandoverMeetingV1 | null;
}

/** A restored appointment after a cancelled handover: back on the outgoing assistant's calendar. */
export interface HandoverRestoreV1 {
  /** The replacement's copy, cancelled. */
  appointmentId: string;
  /** The appointment booked again for the outgoing assistant. */
  restoredAppointmentId: string;
  startsAt: string;
  endsAt: string;
}

/** A cancelled handover undone: moved appointments went back where possible; the rest are listed. */
export interface HandoverUnwoundV1 {
  engagementId: string;
  newEngagementId: string;
  restored: HandoverRestoreV1[];
  /** The replacement's copies that could not go back (already held, or the outgoing assistant is now busy). */
  unresolved: HandoverConflictV1[];
  meetingCancelled: boolean;
}

export type SchedulingEventV1 =
  | EventEnvelope<'AppointmentBooked', AppointmentBookedV1>
  | EventEnvelope<'AppointmentRescheduled', AppointmentRescheduledV1>
  | EventEnvelope<'AppointmentCancelled', AppointmentCancelledV1>
  | EventEnvelope<'AppointmentKept', AppointmentKeptV1>
  | EventEnvelope<'AppointmentNoShow', AppointmentNoShowV1>;

/**
 * A party's reliability record as the scheduling service counts it and analytics repeats it (API.md
 * `GET /assistants/:id/reliability`): kept and no-show appointments, and the moves and cancellations
 * its own side made, in time or late.
 */
export interface Reliability {
  kept: number;
  rescheduledInTime: number;
  rescheduledLate: number;
  cancelledInTime: number;
  cancelledLate: number;
  noShow: number;
}
