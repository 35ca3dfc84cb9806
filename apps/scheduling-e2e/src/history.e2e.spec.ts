import { engagementSuite, expectHistory, outsiders, setTestClock } from '@vaops/testing';

/**
 * An appointment's history and its state as of an instant, against running clients and scheduling
 * services (real Kafka and FerretDB, test clocks): booked by the client, moved by the assistant, cancelled
 * late by the client, each with the correlation id of its request; each role's scope.
 */
describe('appointment history and as-of over HTTP', () => {
  const suite = engagementSuite('scheduling', 'sh');
  const { admin, get, post } = suite;
  let id: string;

  beforeAll(async () => {
    const { service: scheduling, client, assistant } = suite;
    await setTestClock(scheduling, admin, '2026-03-02T09:00:00Z');
    id = (await post('/appointments', { engagementId: suite.engagement.engagementId, kind: 'check-in', startsAt: '2026-03-10T14:00:00Z', endsAt: '2026-03-10T14:30:00Z', title: 'Weekly' }, client, 201, 'sh-book')).body.id;
    await setTestClock(scheduling, admin, '2026-03-05T09:00:00Z');
    await post(`/appointments/${id}/reschedule`, { startsAt: '2026-03-10T15:00:00Z', endsAt: '2026-03-10T15:30:00Z', reason: 'dentist' }, assistant, 200, 'sh-move');
    await setTestClock(scheduling, admin, '2026-03-10T14:30:00Z');
    await post(`/appointments/${id}/cancel`, { reason: 'sick' }, client, 200, 'sh-cancel');
  }, 120_000);

  it('lists every change in order: what, who, when, why and the correlation id', async () => {
    const items = await expectHistory(get(`/appointments/${id}/history`), [
      ['AppointmentBooked', 'exec-sh', '2026-03-02T09:00:00.000Z', undefined, 'sh-book'],
      ['AppointmentRescheduled', 'va-sh', '2026-03-05T09:00:00.000Z', 'dentist', 'sh-move'],
      ['AppointmentCancelled', 'exec-sh', '2026-03-10T14:30:00.000Z', 'sick', 'sh-cancel'],
    ]);
    expect(items[1].changes).toMatchObject({ previousStartsAt: '2026-03-10T14:00:00.000Z', startsAt: '2026-03-10T15:00:00.000Z', by: 'assistant', late: false });
    expect(items[2].changes).toEqual({ by: 'client', late: true });
  });

  it('answers the appointment as it stood: 404 before the booking, each change from its instant on, today\'s answer after the last', async () => {
    await get(`/appointments/${id}?asOf=2026-03-02T08:59:59Z`, admin, 404);
    const booked = await get(`/appointments/${id}?asOf=2026-03-02T09:00:00Z`);
    expect(booked.body).toMatchObject({ id, status: 'booked', startsAt: '2026-03-10T14:00:00.000Z', late: false, version: 1, changes: [] });
    expect(booked.headers.etag).toBe('"1"');
    expect((await get(`/appointments/${id}?asOf=2026-03-10T14:29:59Z`)).body).toMatchObject({ status: 'booked', startsAt: '2026-03-10T15:00:00.000Z', late: false, version: 2 });
    const after = await get(`/appointments/${id}?asOf=2026-03-11T00:00:00Z`);
    expect(after.body).toEqual((await get(`/appointments/${id}`)).body);
    expect(after.body).toMatchObject({ status: 'cancelled', late: true, version: 3 });
    const bad = await get(`/appointments/${id}?asOf=2026-03-11`, admin, 400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf']);
  });

  it('scopes both as the current state: its client and assistant; another client, assistant or agency 404', async () => {
    const { client, assistant, agencyId } = suite;
    expect((await get(`/appointments/${id}/history`, client)).body.items).toHaveLength(3);
    expect((await get(`/appointments/${id}?asOf=2026-03-06T00:00:00Z`, assistant)).body.startsAt).toBe('2026-03-10T15:00:00.000Z');
    for (const t of Object.values(outsiders(agencyId))) {
      expect((await get(`/appointments/${id}/history`, t, 404)).body.code).toBe('APPOINTMENT.NOT_FOUND');
      await get(`/appointments/${id}?asOf=2026-03-06T00:00:00Z`, t, 404);
    }
  });
});
