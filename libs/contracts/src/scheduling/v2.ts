import type { PersonalData } from '../personal-data';
import type { AppointmentBookedV1, AppointmentCancelledV1, AppointmentRescheduledV1 } from './v1';

/*
 * Free text of an appointment, schema version 2 (published since issue 15, item 4): encrypted under
 * the key of the appointment's engagement, which names its client and assistant, so erasing either
 * makes it unreadable. The v1 events carried plaintext; they are upcast on read, their text sealed by
 * the consumer. Everything else (ids, kinds, instants, who moved it, late) stays as in v1.
 */

export interface AppointmentBookedV2 extends Omit<AppointmentBookedV1, 'title'> {
  /** The title given at booking; null when none was. */
  title: PersonalData | null;
}

export interface AppointmentRescheduledV2 extends Omit<AppointmentRescheduledV1, 'reason'> {
  reason: PersonalData;
}

export interface AppointmentCancelledV2 extends Omit<AppointmentCancelledV1, 'reason'> {
  /** The reason given, or the system's ("engagement ended", "handed over to the replacement assistant"), encrypted all the same. */
  reason: PersonalData;
}
