import type { EventEnvelope } from '@vaops/contracts';
import { projectionsOf } from '@vaops/platform';
import { liveStore, type ProjectionDefinition } from '@vaops/projections';
import { testDatabase, type TestDatabase } from '@vaops/testing';
import { AppointmentsProjection, type AppointmentDoc } from './appointments.projection';

const parties = { appointmentId: 'ap-1', engagementId: 'e-1', assistantId: 'a-1', clientId: 'c-1' };
const envelope = (type: string, version: number, data: object): EventEnvelope => ({
  eventId: `ev-${version}`,
  type,
  schemaVersion: 1,
  streamId: 'calendar-a-1',
  version,
  position: version,
  metadata: { agencyId: 'ag', actor: { sub: 's', role: 'client' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-03-02T00:00:00.000Z' },
  data,
});

describe('appointments projection (real Mongo-compatible server)', () => {
  let t: TestDatabase;
  let def: ProjectionDefinition;
  const apply = (e: EventEnvelope) => def.handlers[e.type]!(e, liveStore(t.db));
  // the collection by the name the projection stores it under
  const doc = () => t.db.collection<AppointmentDoc>('appointments').findOne({ _id: 'ap-1' });

  beforeAll(async () => {
    t = await testDatabase('sched-appointments');
    [def] = await projectionsOf([AppointmentsProjection]);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('applies each event once, skipping the versions other appointments of the calendar took', async () => {
    const booked = envelope('AppointmentBooked', 1, { ...parties, kind: 'check-in', startsAt: '2026-03-10T10:00:00.000Z', endsAt: '2026-03-10T10:30:00.000Z', title: null, bookedBy: 'client', recurrence: null });
    const cancelled = envelope('AppointmentCancelled', 4, { ...parties, reason: 'sick', by: 'client', late: true });
    await apply(booked);
    await apply(booked);
    await apply(cancelled);
    await apply(cancelled);
    await apply(booked); // a redelivery of an older event changes nothing
    expect(await doc()).toMatchObject({ _v: 4, status: 'cancelled', late: true, version: 2, changes: [{ type: 'cancelled', by: 'client', late: true, reason: 'sick' }] });
  });
});
