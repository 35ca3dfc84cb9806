import { eventEnvelope, projectionSpec } from '@vaops/testing';
import { AppointmentsProjection, type AppointmentDoc } from '../appointments/appointments.projection';
import { appointmentAt, historyItems, type AppointmentHistoryDoc } from './appointment-history';
import { AppointmentHistoryProjection } from './appointment-history.projection';

const parties = { appointmentId: 'ap-1', engagementId: 'e-1', assistantId: 'a-1', clientId: 'c-1' };
// the title and reasons as v2 carries them: encrypted under the engagement's key (kept so, decrypted by the routes)
const sealed = (ct: string) => ({ pii: 'v1', person: 'e-1', iv: 'bm9uY2Utb2YtMTI=', ct });
const [weekly, dentist, boardMeeting] = [sealed('V2Vla2x5'), sealed('ZGVudGlzdA=='), sealed('Ym9hcmQgbWVldGluZw==')];
const envelope = (type: string, version: number, occurredAt: string, sub: string, data: object) =>
  eventEnvelope(type, data, { streamId: 'calendar-a-1', version, schemaVersion: 2, actor: { sub, role: sub === 'system:calendar' ? 'system' : 'client' }, correlationId: `corr-${version}`, occurredAt });

// versions 2, 4 and 6 of the calendar belong to other appointments
const events = [
  envelope('AppointmentBooked', 1, '2026-03-02T09:00:00.000Z', 'exec', { ...parties, kind: 'check-in', startsAt: '2026-03-10T10:00:00.000Z', endsAt: '2026-03-10T10:30:00.000Z', title: weekly, bookedBy: 'client', recurrence: null }),
  envelope('AppointmentRescheduled', 3, '2026-03-05T09:00:00.000Z', 'va', {
    ...parties,
    previousStartsAt: '2026-03-10T10:00:00.000Z',
    previousEndsAt: '2026-03-10T10:30:00.000Z',
    startsAt: '2026-03-10T11:00:00.000Z',
    endsAt: '2026-03-10T11:30:00.000Z',
    reason: dentist,
    by: 'assistant',
    late: false,
  }),
  envelope('AppointmentRescheduled', 5, '2026-03-10T10:00:00.000Z', 'exec', {
    ...parties,
    previousStartsAt: '2026-03-10T11:00:00.000Z',
    previousEndsAt: '2026-03-10T11:30:00.000Z',
    startsAt: '2026-03-10T15:00:00.000Z',
    endsAt: '2026-03-10T15:30:00.000Z',
    reason: boardMeeting,
    by: 'client',
    late: true,
  }),
  envelope('AppointmentNoShow', 7, '2026-03-10T16:00:00.000Z', 'system:calendar', { ...parties, endsAt: '2026-03-10T15:30:00.000Z' }),
];

describe('appointment history projection (real Mongo-compatible server)', () => {
  const spec = projectionSpec('sched-appointment-history', [AppointmentsProjection, AppointmentHistoryProjection]);
  const historyDoc = async () => (await spec.db.collection<AppointmentHistoryDoc>('appointment_history').findOne({ _id: 'ap-1' }))!;

  beforeAll(async () => {
    await spec.apply(events);
  });

  it('keeps every change in order with who, when, why and the correlation id, once each', async () => {
    const before = await historyDoc();
    await spec.apply(events); // redelivered: duplicates
    await spec.apply(events[1]); // an older one after a newer one
    const doc = await historyDoc();
    expect(doc).toEqual(before);
    expect(doc).toMatchObject({ _v: 7, agencyId: 'ag', engagementId: 'e-1', assistantId: 'a-1', clientId: 'c-1' });
    expect(historyItems(doc).map((i) => [i.type, i.actor.sub, i.at, i.reason, i.correlationId])).toEqual([
      ['AppointmentBooked', 'exec', '2026-03-02T09:00:00.000Z', undefined, 'corr-1'],
      ['AppointmentRescheduled', 'va', '2026-03-05T09:00:00.000Z', dentist, 'corr-3'],
      ['AppointmentRescheduled', 'exec', '2026-03-10T10:00:00.000Z', boardMeeting, 'corr-5'],
      ['AppointmentNoShow', 'system:calendar', '2026-03-10T16:00:00.000Z', undefined, 'corr-7'],
    ]);
    expect(historyItems(doc)[0].changes).toMatchObject({ title: weekly });
    expect(historyItems(doc)[1].changes).toEqual({ previousStartsAt: '2026-03-10T10:00:00.000Z', previousEndsAt: '2026-03-10T10:30:00.000Z', startsAt: '2026-03-10T11:00:00.000Z', endsAt: '2026-03-10T11:30:00.000Z', by: 'assistant', late: false });
  });

  it('folds to what the appointments read model holds, after the last change', async () => {
    const current = (await spec.db.collection<AppointmentDoc>('appointments').findOne({ _id: 'ap-1' }))!;
    const { _rev: _r, ...expected } = current as AppointmentDoc & { _rev?: number };
    expect(appointmentAt(await historyDoc(), new Date('2030-01-01T00:00:00Z'))).toEqual(expected);
  });

  it('folds to the appointment as it stood at each instant: nothing before the booking', async () => {
    const doc = await historyDoc();
    const at = (iso: string) => appointmentAt(doc, new Date(iso));
    expect(at('2026-03-02T08:59:59.999Z')).toBeNull();
    expect(at('2026-03-02T09:00:00.000Z')).toMatchObject({ status: 'booked', startsAt: '2026-03-10T10:00:00.000Z', late: false, version: 1, changes: [] });
    expect(at('2026-03-06T00:00:00.000Z')).toMatchObject({ status: 'booked', startsAt: '2026-03-10T11:00:00.000Z', late: false, version: 2, changes: [{ type: 'rescheduled', by: 'assistant', reason: dentist }] });
    expect(at('2026-03-10T12:00:00.000Z')).toMatchObject({ status: 'booked', startsAt: '2026-03-10T15:00:00.000Z', late: true, version: 3 });
    expect(at('2026-03-10T16:00:00.000Z')).toMatchObject({ status: 'no-show', late: true, version: 4 });
  });
});
