import {
  Topics,
  type AppointmentActor,
  type AppointmentBookedV1,
  type AppointmentCancelledV1,
  type AppointmentKind,
  type AppointmentRescheduledV1,
  type EventEnvelope,
  type RecurrenceV1,
} from '@vaops/contracts';
import { applyIfNewer, type ProjectionDefinition, type ReadModelStore } from '@vaops/projections';
import type { AppointmentStatus } from '../calendar';

export const APPOINTMENTS_PROJECTION = 'scheduling.appointments';
export const APPOINTMENTS = 'appointments';

export interface AppointmentChange {
  type: 'rescheduled' | 'cancelled';
  by: AppointmentActor;
  late: boolean;
  reason: string;
  at: string;
}

export interface AppointmentDoc {
  _id: string;
  /** Version of the calendar stream last applied (the stream holds every appointment of the assistant). */
  _v: number;
  agencyId: string;
  engagementId: string;
  assistantId: string;
  clientId: string;
  kind: AppointmentKind;
  title: string | null;
  startsAt: string;
  endsAt: string;
  status: AppointmentStatus;
  late: boolean;
  recurrence: RecurrenceV1 | null;
  changes: AppointmentChange[];
  /** Events of this appointment: what ETag and If-Match carry. */
  version: number;
}

type Update = { $set?: Record<string, unknown>; $push?: Record<string, unknown>; $inc?: Record<string, number> };

// A calendar stream carries many appointments, so one appointment's document sees gaps in the
// stream versions by design: applied when newer, a duplicate otherwise.
async function apply(store: ReadModelStore, e: EventEnvelope, update: Update) {
  const id = (e.data as { appointmentId: string }).appointmentId;
  await applyIfNewer(store.collection(APPOINTMENTS), id, e.version, { ...update, $inc: { version: 1 } });
}

const change = (e: EventEnvelope, type: AppointmentChange['type'], d: { by: AppointmentActor; late: boolean; reason: string }): AppointmentChange => ({
  type,
  by: d.by,
  late: d.late,
  reason: d.reason,
  at: e.metadata.occurredAt,
});

export const appointmentsProjection = (topicPrefix = ''): ProjectionDefinition => ({
  name: APPOINTMENTS_PROJECTION,
  topics: [`${topicPrefix}${Topics.scheduling}`],
  collections: {
    [APPOINTMENTS]: {
      indexes: [{ key: { assistantId: 1, startsAt: 1 } }, { key: { clientId: 1, startsAt: 1 } }, { key: { status: 1, endsAt: 1 } }, { key: { engagementId: 1 } }],
    },
  },
  handlers: {
    AppointmentBooked: async (e, store) => {
      const { appointmentId: _id, bookedBy: _by, ...d } = e.data as AppointmentBookedV1;
      await apply(store, e, { $set: { ...d, agencyId: e.metadata.agencyId, status: 'booked', late: false, changes: [] } });
    },
    AppointmentRescheduled: async (e, store) => {
      const d = e.data as AppointmentRescheduledV1;
      await apply(store, e, { $set: { startsAt: d.startsAt, endsAt: d.endsAt, ...(d.late ? { late: true } : {}) }, $push: { changes: change(e, 'rescheduled', d) } });
    },
    AppointmentCancelled: async (e, store) => {
      const d = e.data as AppointmentCancelledV1;
      await apply(store, e, { $set: { status: 'cancelled', ...(d.late ? { late: true } : {}) }, $push: { changes: change(e, 'cancelled', d) } });
    },
    AppointmentKept: async (e, store) => {
      await apply(store, e, { $set: { status: 'kept' } });
    },
    AppointmentNoShow: async (e, store) => {
      await apply(store, e, { $set: { status: 'no-show' } });
    },
  },
});
