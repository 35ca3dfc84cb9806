import type { Current, Principal } from '@vaops/platform';
import type { Runtime } from '../runtime';
import type { Appointment, CalendarState } from './calendar';
import { CalendarErrors } from './calendar.errors';

/**
 * Which calendar an appointment lives in, written before the booking is appended so that writes on
 * `/appointments/:id` find their stream at once (an entry whose booking was refused points at nothing).
 */
export const APPOINTMENT_INDEX = 'appointment_index';

export interface AppointmentIndexDoc {
  _id: string;
  assistantId: string;
  agencyId: string;
}

const notFound = (id: string) => CalendarErrors.notFound(`appointment ${id} not found`);

/** Whether the caller may see an appointment: the agency, its assistant, or its client. */
export const mayView = (a: Pick<Appointment, 'assistantId' | 'clientId'>, p: Principal): boolean =>
  p.role === 'agency-admin' || (p.role === 'assistant' && a.assistantId === p.assistantId) || (p.role === 'client' && a.clientId === p.clientId);

/** Which assistant's calendar holds the appointment (its index), if it is the caller's agency's; else 404. */
export async function appointmentCalendar(runtime: Runtime, id: string, p: Principal): Promise<string> {
  const idx = await runtime.db.collection<AppointmentIndexDoc>(APPOINTMENT_INDEX).findOne({ _id: id });
  if (!idx || idx.agencyId !== p.agencyId) throw notFound(id);
  return idx.assistantId;
}

/** The appointment as the calendar's state holds it, if the caller may see it; else 404. */
export function visibleAppointment(calendar: Current<CalendarState> | null, id: string, p: Principal): Appointment {
  const a = calendar?.state.appointments[id];
  if (!a || !mayView(a, p)) throw notFound(id);
  return a;
}
