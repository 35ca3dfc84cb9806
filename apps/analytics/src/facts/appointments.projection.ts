import { Controller, Injectable } from '@nestjs/common';
import type { Filter } from 'mongodb';
import { Topics, type AppointmentActor, type PublicEvent } from '@vaops/contracts';
import { ProjectionHandler, collectionOf, readModelFor, type ProjectionSpec } from '@vaops/platform';
import { applyIfNewer, type ReadModelStore } from '@vaops/projections';
import type { EngagementWorkDoc } from './engagement-work';

/**
 * Appointments, from the scheduling topic (stream `calendar-<assistantId>`, many appointments per
 * stream): where each stands and who moved or cancelled it, in time or late. Enough to count
 * reliability the way the scheduling service does.
 */
export const APPOINTMENTS_PROJECTION = 'analytics.appointments';
const APPOINTMENTS = 'an_appointments';

export interface AppointmentChange {
  type: 'rescheduled' | 'cancelled';
  by: AppointmentActor;
  late: boolean;
}

export interface AppointmentDoc extends EngagementWorkDoc {
  /** Current start (after reschedules), ISO-8601 UTC. */
  startsAt: string;
  status: 'booked' | 'cancelled' | 'kept' | 'no-show';
  changes: AppointmentChange[];
}

/**
 * Each assistant's reliability counts (stream `calendar-<assistantId>`: one document per stream, kept
 * with the stream's version), so reading a record costs one document however long the history.
 */
const RELIABILITY = 'an_reliability';

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

type AppointmentEvent = PublicEvent<'AppointmentBooked' | 'AppointmentRescheduled' | 'AppointmentCancelled' | 'AppointmentKept' | 'AppointmentNoShow'>;

const idOf = (e: AppointmentEvent) => e.data.appointmentId;
const apply = (store: ReadModelStore, e: AppointmentEvent, update: Record<string, unknown>) => applyIfNewer(store.collection(APPOINTMENTS), idOf(e), e.version, update);

/** What an appointment counted as before this event (kept or no-show), read before it changes. */
const priorStatus = async (store: ReadModelStore, e: AppointmentEvent): Promise<AppointmentDoc['status'] | null> =>
  (await store.collection<AppointmentDoc>(APPOINTMENTS).findOne({ _id: idOf(e) }))?.status ?? null;

/**
 * The assistant's counts move as reliabilityOf counts the appointments: kept and no-show by the status
 * an appointment ends in, moves and cancellations by the assistant's side (or the agency for it).
 */
const count = (store: ReadModelStore, e: AppointmentEvent, assistantId: string, inc: Partial<Record<Exclude<keyof ReliabilityDoc, '_id' | '_v' | 'agencyId'>, number>>) =>
  applyIfNewer(store.collection(RELIABILITY), assistantId, e.version, { $set: { agencyId: e.metadata.agencyId }, $inc: { kept: 0, noShow: 0, rescheduledInTime: 0, rescheduledLate: 0, cancelledInTime: 0, cancelledLate: 0, ...inc } });
const assistantOf = (e: AppointmentEvent) => e.streamId.replace(/^calendar-/, '');
const countsAgainst = (by: AppointmentActor) => by === 'assistant' || by === 'agency';
/** Leaving a final status takes it out of its count. */
const leaving = (prior: AppointmentDoc['status'] | null) => (prior === 'kept' ? { kept: -1 } : prior === 'no-show' ? { noShow: -1 } : {});

export const appointmentsSpec: ProjectionSpec = {
  name: APPOINTMENTS_PROJECTION,
  topics: [Topics.scheduling],
  collections: { [APPOINTMENTS]: { indexes: [{ key: { agencyId: 1, assistantId: 1 } }] }, [RELIABILITY]: { indexes: [] } },
};

@Controller()
export class AppointmentsProjection {
  @ProjectionHandler(appointmentsSpec, 'AppointmentBooked')
  async onAppointmentBooked(e: PublicEvent<'AppointmentBooked'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await apply(store, e, {
      $set: { agencyId: e.metadata.agencyId, assistantId: d.assistantId, clientId: d.clientId, engagementId: d.engagementId, startsAt: d.startsAt, status: 'booked', changes: [] },
    });
  }

  // applied once per stream version, so a push never repeats
  @ProjectionHandler(appointmentsSpec, 'AppointmentRescheduled')
  async onAppointmentRescheduled(e: PublicEvent<'AppointmentRescheduled'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await count(store, e, assistantOf(e), countsAgainst(d.by) ? { [d.late ? 'rescheduledLate' : 'rescheduledInTime']: 1 } : {});
    await apply(store, e, { $set: { startsAt: d.startsAt }, $push: { changes: { type: 'rescheduled', by: d.by, late: d.late } } });
  }

  @ProjectionHandler(appointmentsSpec, 'AppointmentCancelled')
  async onAppointmentCancelled(e: PublicEvent<'AppointmentCancelled'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    const prior = await priorStatus(store, e);
    await count(store, e, assistantOf(e), { ...leaving(prior), ...(countsAgainst(d.by) ? { [d.late ? 'cancelledLate' : 'cancelledInTime']: 1 } : {}) });
    await apply(store, e, { $set: { status: 'cancelled' }, $push: { changes: { type: 'cancelled', by: d.by, late: d.late } } });
  }

  @ProjectionHandler(appointmentsSpec, 'AppointmentKept')
  async onAppointmentKept(e: PublicEvent<'AppointmentKept'>, store: ReadModelStore): Promise<void> {
    const prior = await priorStatus(store, e);
    await count(store, e, assistantOf(e), prior === 'kept' ? {} : { ...leaving(prior), kept: 1 });
    await apply(store, e, { $set: { status: 'kept' } });
  }

  @ProjectionHandler(appointmentsSpec, 'AppointmentNoShow')
  async onAppointmentNoShow(e: PublicEvent<'AppointmentNoShow'>, store: ReadModelStore): Promise<void> {
    const prior = await priorStatus(store, e);
    await count(store, e, assistantOf(e), prior === 'no-show' ? {} : { ...leaving(prior), noShow: 1 });
    await apply(store, e, { $set: { status: 'no-show' } });
  }
}

/** Appointments and reliability counts, as analytics' routes read them. */
@Injectable()
export class AppointmentFacts extends readModelFor(APPOINTMENTS_PROJECTION, { reliability: collectionOf<ReliabilityDoc>(RELIABILITY), appointments: collectionOf<AppointmentDoc>(APPOINTMENTS) }) {
  /** The assistant's appointments, or only those with one client. */
  appointmentsOf(agencyId: string, assistantId: string, clientId?: string): Promise<AppointmentDoc[]> {
    const filter: Filter<AppointmentDoc> = { agencyId, assistantId };
    if (clientId !== undefined) filter.clientId = clientId;
    return this.collections.appointments.find(filter).toArray();
  }

  /** The assistant's all-time counts (none yet: null). */
  countsOf(agencyId: string, assistantId: string): Promise<ReliabilityDoc | null> {
    return this.collections.reliability.findOne({ _id: assistantId, agencyId });
  }

  /** The all-time counts of those of these assistants that have any. */
  countsAmong(agencyId: string, assistantIds: string[]): Promise<ReliabilityDoc[]> {
    return this.collections.reliability.find({ _id: { $in: assistantIds }, agencyId }).toArray();
  }
}
