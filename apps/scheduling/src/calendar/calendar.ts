import type { AppointmentBookedV1, AppointmentKind, SealedText, StoredEventOf } from '@vaops/contracts';

// ---------------------------------------------------------------- events

/** An appointment to book, as a command carries it: its title already sealed (never plaintext). */
export type AppointmentToBook = Omit<AppointmentBookedV1, 'title'> & { title: SealedText | null };

/**
 * One stream per assistant calendar: every booking of the assistant is decided at its version. Its
 * public events as they are published (the title and reasons under the engagement's key).
 */
export type CalendarEvent = StoredEventOf<'AppointmentBooked' | 'AppointmentRescheduled' | 'AppointmentCancelled' | 'AppointmentKept' | 'AppointmentNoShow'>;

// ---------------------------------------------------------------- state

export type AppointmentStatus = 'booked' | 'cancelled' | 'kept' | 'no-show';

export interface Appointment {
  appointmentId: string;
  engagementId: string;
  assistantId: string;
  clientId: string;
  kind: AppointmentKind;
  startsAt: string;
  endsAt: string;
  status: AppointmentStatus;
  late: boolean;
  /** Events of this appointment so far: its version for ETag and If-Match. */
  version: number;
}

export interface CalendarState {
  appointments: Record<string, Appointment>;
}

export const initialCalendarState = (): CalendarState => ({ appointments: {} });

function update(state: CalendarState, id: string, change: Partial<Appointment>): CalendarState {
  const current = state.appointments[id];
  if (!current) return state;
  return { appointments: { ...state.appointments, [id]: { ...current, ...change, version: current.version + 1 } } };
}

export function evolveCalendar(state: CalendarState, event: CalendarEvent): CalendarState {
  switch (event.type) {
    case 'AppointmentBooked': {
      const { appointmentId, engagementId, assistantId, clientId, kind, startsAt, endsAt } = event.data;
      return { appointments: { ...state.appointments, [appointmentId]: { appointmentId, engagementId, assistantId, clientId, kind, startsAt, endsAt, status: 'booked', late: false, version: 1 } } };
    }
    case 'AppointmentRescheduled':
      return update(state, event.data.appointmentId, { startsAt: event.data.startsAt, endsAt: event.data.endsAt, late: state.appointments[event.data.appointmentId]?.late || event.data.late });
    case 'AppointmentCancelled':
      return update(state, event.data.appointmentId, { status: 'cancelled', late: state.appointments[event.data.appointmentId]?.late || event.data.late });
    case 'AppointmentKept':
      return update(state, event.data.appointmentId, { status: 'kept' });
    case 'AppointmentNoShow':
      return update(state, event.data.appointmentId, { status: 'no-show' });
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

export const calendarStreamId = (assistantId: string): string => `calendar-${assistantId}`;
