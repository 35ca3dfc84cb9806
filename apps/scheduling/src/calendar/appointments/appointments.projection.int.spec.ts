import { eventEnvelope, projectionSpec } from '@vaops/testing';
import { AppointmentsProjection, type AppointmentDoc } from './appointments.projection';

const parties = { appointmentId: 'ap-1', engagementId: 'e-1', assistantId: 'a-1', clientId: 'c-1' };
const envelope = (type: string, version: number, data: object) => eventEnvelope(type, data, { streamId: 'calendar-a-1', version, schemaVersion: 2, actor: { sub: 's', role: 'client' } });
// the title and reasons as v2 carries them: encrypted under the engagement's key
const sealed = (ct: string) => ({ pii: 'v1', person: 'e-1', iv: 'bm9uY2Utb2YtMTI=', ct });

describe('appointments projection (real Mongo-compatible server)', () => {
  const spec = projectionSpec('sched-appointments', [AppointmentsProjection]);
  // the collection by the name the projection stores it under
  const doc = () => spec.db.collection<AppointmentDoc>('appointments').findOne({ _id: 'ap-1' });

  it('applies each event once, skipping the versions other appointments of the calendar took', async () => {
    const booked = envelope('AppointmentBooked', 1, { ...parties, kind: 'check-in', startsAt: '2026-03-10T10:00:00.000Z', endsAt: '2026-03-10T10:30:00.000Z', title: sealed('V2Vla2x5'), bookedBy: 'client', recurrence: null });
    const cancelled = envelope('AppointmentCancelled', 4, { ...parties, reason: sealed('c2ljaw=='), by: 'client', late: true });
    await spec.apply(booked);
    await spec.apply(booked);
    await spec.apply(cancelled);
    await spec.apply(cancelled);
    await spec.apply(booked); // a redelivery of an older event changes nothing
    expect(await doc()).toMatchObject({ _v: 4, title: sealed('V2Vla2x5'), status: 'cancelled', late: true, version: 2, changes: [{ type: 'cancelled', by: 'client', late: true, reason: sealed('c2ljaw==') }] });
  });
});
