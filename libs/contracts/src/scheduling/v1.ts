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
