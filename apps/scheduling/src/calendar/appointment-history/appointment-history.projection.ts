import { Controller, Injectable } from '@nestjs/common';
import { Topics, type PersonalData, type PublicEvent } from '@vaops/contracts';
import { ProjectionHandler, historyItem, collectionOf, readModelFor, type ProjectionSpec } from '@vaops/platform';
import { applyIfNewer, type ReadModelStore } from '@vaops/projections';
import { APPOINTMENT_IDENTITY, type AppointmentHistoryDoc, type AppointmentHistoryEntry } from './appointment-history';

const APPOINTMENT_HISTORY_PROJECTION = 'scheduling.appointment-history';
const APPOINTMENT_HISTORY = 'appointment_history';

type AppointmentEvent = PublicEvent<'AppointmentBooked' | 'AppointmentRescheduled' | 'AppointmentCancelled' | 'AppointmentKept' | 'AppointmentNoShow'>;

/**
 * One document per appointment with each of its changes (who, when, why, correlation id, the fields
 * set), so its history and its state at an instant never read the assistant's calendar stream, which
 * holds years of every appointment. Keyed by the calendar stream's version: an event at or below the
 * last one applied is a duplicate (redelivery, a replay), so rebuilds give the same documents.
 */
async function record(store: ReadModelStore, e: AppointmentEvent): Promise<void> {
  const { appointmentId, engagementId, assistantId, clientId } = e.data;
  // the reason is kept encrypted as the event carried it
  const entry: AppointmentHistoryEntry = { ...historyItem<PersonalData>(e, APPOINTMENT_IDENTITY), v: e.version };
  await applyIfNewer(store.collection(APPOINTMENT_HISTORY), appointmentId, e.version, {
    $set: { agencyId: e.metadata.agencyId, engagementId, assistantId, clientId },
    $push: { items: entry },
  });
}

export const appointmentHistorySpec: ProjectionSpec = {
  name: APPOINTMENT_HISTORY_PROJECTION,
  topics: [Topics.scheduling],
  collections: { [APPOINTMENT_HISTORY]: {} },
};

@Controller()
export class AppointmentHistoryProjection {
  @ProjectionHandler(appointmentHistorySpec, 'AppointmentBooked', 'AppointmentRescheduled', 'AppointmentCancelled', 'AppointmentKept', 'AppointmentNoShow')
  async onAppointmentChanged(e: AppointmentEvent, store: ReadModelStore): Promise<void> {
    await record(store, e);
  }
}

/** An appointment's changes, by its id (a point read). */
@Injectable()
export class AppointmentHistory extends readModelFor(APPOINTMENT_HISTORY_PROJECTION, { history: collectionOf<AppointmentHistoryDoc>(APPOINTMENT_HISTORY) }) {
  byId(agencyId: string, id: string): Promise<AppointmentHistoryDoc | null> {
    return this.collections.history.findOne({ _id: id, agencyId });
  }
}
