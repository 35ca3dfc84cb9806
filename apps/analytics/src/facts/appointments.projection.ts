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

/**
 * Each assistant's reliability counts (stream `calendar-<assistantId>`: one document per stream, kept
 * with the stream's version), so reading a record costs one document however long the history.
 */
export const RELIABILITY = 'an_reliability';

export interface ReliabilityDoc {
  _id: string;
  _v: number;
  agencyId: string;
  kept: number;
  noShow: number;
  rescheduledInTime: number;
  rescheduledLate: number;
  cancelledInTime: number;
  cancelledLate: number;
}

const idOf = (e: EventEnvelope) => (e.data as { appointmentId: string }).appointmentId;
const apply = (store: ReadModelStore, e: EventEnvelope, update: Record<string, unknown>) => applyIfNewer(store.collection(APPOINTMENTS), idOf(e), e.version, update);

/** What an appointment counted as before this event (kept or no-show), read before it changes. */
const priorStatus = async (store: ReadModelStore, e: EventEnvelope): Promise<AppointmentDoc['status'] | null> =>
  ((await store.collection<AppointmentDoc>(APPOINTMENTS).findOne({ _id: idOf(e) } as never)) as AppointmentDoc | null)?.status ?? null;

/**
 * The assistant's counts move as reliabilityOf counts the appointments: kept and no-show by the status
 * an appointment ends in, moves and cancellations by the assistant's side (or the agency for it).
 */
const count = (store: ReadModelStore, e: EventEnvelope, assistantId: string, inc: Partial<Record<Exclude<keyof ReliabilityDoc, '_id' | '_v' | 'agencyId'>, number>>) =>
  applyIfNewer(store.collection(RELIABILITY), assistantId, e.version, { $set: { agencyId: e.metadata.agencyId }, $inc: { kept: 0, noShow: 0, rescheduledInTime: 0, rescheduledLate: 0, cancelledInTime: 0, cancelledLate: 0, ...inc } });
const assistantOf = (e: EventEnvelope) => e.streamId.replace(/^calendar-/, '');
const countsAgainst = (by: AppointmentActor) => by === 'assistant' || by === 'agency';
/** Leaving a final status takes it out of its count. */
const leaving = (prior: AppointmentDoc['status'] | null) => (prior === 'kept' ? { kept: -1 } : prior === 'no-show' ? { noShow: -1 } : {});

export const appointmentsProjection = (topicPrefix = ''): ProjectionDefinition => ({
  name: APPOINTMENTS_PROJECTION,
  topics: [`${topicPrefix}${Topics.scheduling}`],
  collections: { [APPOINTMENTS]: { indexes: [{ key: { agencyId: 1, assistantId: 1 } }] }, [RELIABILITY]: { indexes: [] } },
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
      await count(store, e, assistantOf(e), countsAgainst(d.by) ? { [d.late ? 'rescheduledLate' : 'rescheduledInTime']: 1 } : {});
      await apply(store, e, { $set: { startsAt: d.startsAt }, $push: { changes: { type: 'rescheduled', by: d.by, late: d.late } } });
    },
    AppointmentCancelled: async (e, store) => {
      const d = e.data as AppointmentCancelledV1;
      const prior = await priorStatus(store, e);
      await count(store, e, assistantOf(e), { ...leaving(prior), ...(countsAgainst(d.by) ? { [d.late ? 'cancelledLate' : 'cancelledInTime']: 1 } : {}) });
      await apply(store, e, { $set: { status: 'cancelled' }, $push: { changes: { type: 'cancelled', by: d.by, late: d.late } } });
    },
    AppointmentKept: async (e, store) => {
      const prior = await priorStatus(store, e);
      await count(store, e, assistantOf(e), prior === 'kept' ? {} : { ...leaving(prior), kept: 1 });
      await apply(store, e, { $set: { status: 'kept' } });
    },
    AppointmentNoShow: async (e, store) => {
      const prior = await priorStatus(store, e);
      await count(store, e, assistantOf(e), prior === 'no-show' ? {} : { ...leaving(prior), noShow: 1 });
      await apply(store, e, { $set: { status: 'no-show' } });
    },
  },
});
