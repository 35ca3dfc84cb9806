import { Injectable } from '@nestjs/common';
import { insertOnce } from '@vaops/mongo';
import { mayViewParties, streamIndex, type Current, type Principal, type StreamIndexDoc } from '@vaops/platform';
import type { Appointment, CalendarState } from './calendar';
import { CalendarErrors } from './calendar.errors';

const APPOINTMENT_INDEX = 'appointment_index';

export interface AppointmentIndexDoc extends StreamIndexDoc {
  assistantId: string;
}

const notFound = (id: string) => CalendarErrors.notFound(`appointment ${id} not found`);

/**
 * Which calendar an appointment lives in, written before the booking is appended so that writes on
 * `/appointments/:id` find their stream at once (an entry whose booking was refused points at nothing).
 * Commands write it, not a projection: the port owns its collection, its reads and its writes.
 */
@Injectable()
export class AppointmentIndex extends streamIndex<AppointmentIndexDoc>(APPOINTMENT_INDEX) {
  /** Records that these appointments go in `assistantId`'s calendar (once: the same entries again are no error). */
  record(ids: string[], assistantId: string, agencyId: string): Promise<void> {
    return insertOnce(
      this.collection,
      ids.map((id) => ({ _id: id, assistantId, agencyId })),
    );
  }

  /** Which assistant's calendar holds the appointment, if it is the caller's agency's; else 404. */
  async calendarOf(id: string, p: Principal): Promise<string> {
    return (await this.visibleEntry(id, p, () => true, () => notFound(id))).assistantId;
  }
}

/** The appointment as the calendar's state holds it, if the caller may see it; else 404. */
export function visibleAppointment(calendar: Current<CalendarState> | null, id: string, p: Principal): Appointment {
  const a = calendar?.state.appointments[id];
  if (!a || !mayViewParties(a, p)) throw notFound(id);
  return a;
}
