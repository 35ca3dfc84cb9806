import type { Principal } from '@vaops/platform';
import type { Runtime } from '../runtime';
import type { Appointment } from './calendar';
import { calendarStreamId } from './calendar';
import { calendarDecider } from './calendar.decider';
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

/** The appointment as its calendar decides it now (strongly consistent), or 404. */
export async function loadAppointment(runtime: Runtime, id: string, p: Principal): Promise<Appointment> {
  const idx = await runtime.db.collection<AppointmentIndexDoc>(APPOINTMENT_INDEX).findOne({ _id: id });
  if (!idx || idx.agencyId !== p.agencyId) throw notFound(id);
  const loaded = await runtime.loadOwned(calendarDecider, calendarStreamId(idx.assistantId), p.agencyId);
  const a = loaded?.state.appointments[id];
  if (!a || !mayView(a, p)) throw notFound(id);
  return a;
}
