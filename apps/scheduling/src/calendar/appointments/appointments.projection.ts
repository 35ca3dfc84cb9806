import { Controller, Injectable } from '@nestjs/common';
import { Topics, type AppointmentActor, type AppointmentKind, type PersonalData, type PublicEvent, type RecurrenceV1 } from '@vaops/contracts';
import { ProjectionHandler, collectionOf, readModelFor, type ProjectionSpec } from '@vaops/platform';
import { applyIfNewer, type ReadModelStore } from '@vaops/projections';
import type { AppointmentStatus } from '../calendar';
import type { EngagementPartiesDoc } from '@vaops/facts';

const APPOINTMENTS_PROJECTION = 'scheduling.appointments';
const APPOINTMENTS = 'appointments';

export interface AppointmentChange {
  type: 'rescheduled' | 'cancelled';
  by: AppointmentActor;
  late: boolean;
  /** Encrypted under the engagement's key, as the event carried it (routes decrypt it when they answer). */
  reason: PersonalData;
  at: string;
}

/** `_v`: the calendar stream's version (the stream holds every appointment of the assistant). */
export interface AppointmentDoc extends EngagementPartiesDoc {
  kind: AppointmentKind;
  /** Encrypted under the engagement's key, as the event carried it (routes decrypt it when they answer). */
  title: PersonalData | null;
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
type AppointmentEvent = PublicEvent<'AppointmentBooked' | 'AppointmentRescheduled' | 'AppointmentCancelled' | 'AppointmentKept' | 'AppointmentNoShow'>;

async function apply(store: ReadModelStore, e: AppointmentEvent, update: Update) {
  const id = e.data.appointmentId;
  await applyIfNewer(store.collection(APPOINTMENTS), id, e.version, { ...update, $inc: { version: 1 } });
}

const change = (e: AppointmentEvent, type: AppointmentChange['type'], d: { by: AppointmentActor; late: boolean; reason: PersonalData }): AppointmentChange => ({
  type,
  by: d.by,
  late: d.late,
  reason: d.reason,
  at: e.metadata.occurredAt,
});

export const appointmentsSpec: ProjectionSpec = {
  name: APPOINTMENTS_PROJECTION,
  topics: [Topics.scheduling],
  collections: {
    [APPOINTMENTS]: {
      indexes: [{ key: { assistantId: 1, startsAt: 1 } }, { key: { clientId: 1, startsAt: 1 } }, { key: { status: 1, endsAt: 1 } }, { key: { engagementId: 1 } }],
    },
  },
};

@Controller()
export class AppointmentsProjection {
  @ProjectionHandler(appointmentsSpec, 'AppointmentBooked')
  async onAppointmentBooked(e: PublicEvent<'AppointmentBooked'>, store: ReadModelStore): Promise<void> {
    const { appointmentId: _id, bookedBy: _by, ...d } = e.data;
    await apply(store, e, { $set: { ...d, agencyId: e.metadata.agencyId, status: 'booked', late: false, changes: [] } });
  }

  @ProjectionHandler(appointmentsSpec, 'AppointmentRescheduled')
  async onAppointmentRescheduled(e: PublicEvent<'AppointmentRescheduled'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await apply(store, e, { $set: { startsAt: d.startsAt, endsAt: d.endsAt, ...(d.late ? { late: true } : {}) }, $push: { changes: change(e, 'rescheduled', d) } });
  }

  @ProjectionHandler(appointmentsSpec, 'AppointmentCancelled')
  async onAppointmentCancelled(e: PublicEvent<'AppointmentCancelled'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await apply(store, e, { $set: { status: 'cancelled', ...(d.late ? { late: true } : {}) }, $push: { changes: change(e, 'cancelled', d) } });
  }

  @ProjectionHandler(appointmentsSpec, 'AppointmentKept')
  async onAppointmentKept(e: PublicEvent<'AppointmentKept'>, store: ReadModelStore): Promise<void> {
    await apply(store, e, { $set: { status: 'kept' } });
  }

  @ProjectionHandler(appointmentsSpec, 'AppointmentNoShow')
  async onAppointmentNoShow(e: PublicEvent<'AppointmentNoShow'>, store: ReadModelStore): Promise<void> {
    await apply(store, e, { $set: { status: 'no-show' } });
  }
}

/** A party of an appointment, by the side they are on. */
export type Party = { assistantId: string } | { clientId: string };

/** What routes and the scheduler read of the appointments read model. */
@Injectable()
export class Appointments extends readModelFor(APPOINTMENTS_PROJECTION, { docs: collectionOf<AppointmentDoc>(APPOINTMENTS) }) {
  /** One appointment of the agency. */
  byId(agencyId: string, id: string): Promise<AppointmentDoc | null> {
    return this.collections.docs.findOne({ _id: id, agencyId });
  }

  /** A party's appointments that are not cancelled and overlap `[from, to)`, by start. */
  overlapping(party: Party, agencyId: string, from: string, to: string): Promise<AppointmentDoc[]> {
    return this.collections.docs
      .find({ ...party, agencyId, status: { $ne: 'cancelled' }, startsAt: { $lt: to }, endsAt: { $gt: from } })
      .sort({ startsAt: 1 })
      .toArray();
  }

  /** Every appointment of a party, or only those it has with `counterpart` as well. */
  ofParty(agencyId: string, party: Party, counterpart: Partial<{ assistantId: string; clientId: string }> = {}): Promise<AppointmentDoc[]> {
    return this.collections.docs.find({ agencyId, ...party, ...counterpart }).toArray();
  }

  /** An engagement's appointments (an index on engagementId). */
  ofEngagement(engagementId: string): Promise<AppointmentDoc[]> {
    return this.collections.docs.find({ engagementId }).toArray();
  }

  /** Appointments still booked whose end is not after `now`: the calendars that have no-shows to mark. */
  endedUnkept(now: string): Promise<Pick<AppointmentDoc, '_id' | 'assistantId' | 'agencyId'>[]> {
    return this.collections.docs.find({ status: 'booked', endsAt: { $lte: now } }, { projection: { assistantId: 1, agencyId: 1 } }).toArray();
  }
}
