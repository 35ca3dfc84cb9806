import { Topics, type AppointmentActor, type AppointmentBookedV1, type AppointmentCancelledV1, type AppointmentRescheduledV1, type EventEnvelope } from '@vaops/contracts';
import { applyIfNewer, type ProjectionDefinition, type ReadModelStore } from '@vaops/projections';

/**
 * Appointments, from the scheduling topic (stream `calendar-<assistantId>`, many appointments per
 * stream): where each stands and who moved or cancelled it, in time or late. Enough to count
 * reliability the way the scheduling service does.
 */
export const APPOINTMENTS_PROJECTION = 'analytics.appointments';
export const APPOINTMENTS = 'an_appointments';

export interface AppointmentChange {
  type: 'rescheduled' | 'cancelled';
  by: AppointmentActor;
  late: boolean;
}

export interface AppointmentDoc {
  _id: string;
  _v: number;
  agencyId: string;
  assistantId: string;
  clientId: string;
  engagementId: string;
  /** Current start (after reschedules), ISO-8601 UTC. */
  startsAt: string;
  status: 'booked' | 'cancelled' | 'kept' | 'no-show';
  changes: AppointmentChange[];
}

const apply = (store: ReadModelStore, e: EventEnvelope, update: Record<string, unknown>) =>
  applyIfNewer(store.collection(APPOINTMENTS), (e.data as { appointmentId: string }).appointmentId, e.version, update);

export const appointmentsProjection = (topicPrefix = ''): ProjectionDefinition => ({
  name: APPOINTMENTS_PROJECTION,
  topics: [`${topicPrefix}${Topics.scheduling}`],
  collections: { [APPOINTMENTS]: { indexes: [{ key: { agencyId: 1, assistantId: 1 } }] } },
  handlers: {
    AppointmentBooked: async (e, store) => {
      const d = e.data as AppointmentBookedV1;
      await apply(store, e, {
        $set: { agencyId: e.metadata.agencyId, assistantId: d.assistantId, clientId: d.clientId, engagementId: d.engagementId, startsAt: d.startsAt, status: 'booked', changes: [] },
      });
    },
    // applied once per stream version, so a push never repeats
    AppointmentRescheduled: async (e, store) => {
      const d = e.data as AppointmentRescheduledV1;
      await apply(store, e, { $set: { startsAt: d.startsAt }, $push: { changes: { type: 'rescheduled', by: d.by, late: d.late } } });
    },
    AppointmentCancelled: async (e, store) => {
      const d = e.data as AppointmentCancelledV1;
      await apply(store, e, { $set: { status: 'cancelled' }, $push: { changes: { type: 'cancelled', by: d.by, late: d.late } } });
    },
    AppointmentKept: async (e, store) => {
      await apply(store, e, { $set: { status: 'kept' } });
    },
    AppointmentNoShow: async (e, store) => {
      await apply(store, e, { $set: { status: 'no-show' } });
    },
  },
});
