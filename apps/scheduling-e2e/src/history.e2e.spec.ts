import request from 'supertest';
import { startService, tokenFor, uniqueName, waitUntil, type RunningService } from '@vaops/testing';

/**
 * An appointment's history and its state as of an instant, against running clients and scheduling
 * services (real Kafka and FerretDB, test clocks): booked by the client, moved by the assistant, cancelled
 * late by the client, each with the correlation id of its request; each role's scope.
 */
describe('appointment history and as-of over HTTP', () => {
  let clients: RunningService;
  let scheduling: RunningService;
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
  const agency = uniqueName('agency-sh');
  const admin = tokenFor({ sub: 'ops-sh', agencyId: agency, role: 'agency-admin' });
  let position = 0;
  let id: string;
  let client: string;
  let assistant: string;

  const setClock = (now: string) => request(scheduling.url).put('/_test/clock').set(auth(admin)).send({ now }).expect(200);
  const cl = async (path: string, body: object) => (await request(clients.url).post(path).set(auth(admin)).send(body).expect(201)).body.id as string;
  const act = async (path: string, body: object, token: string, correlationId: string, status: number) => {
    const r = await request(scheduling.url).post(path).set(auth(token)).set('X-Correlation-Id', correlationId).send(body).expect(status);
    position = Math.max(position, r.body.position);
    return r;
  };
  const get = (path: string, token = admin, status = 200) =>
    request(scheduling.url).get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`).set(auth(token)).expect(status);

  beforeAll(async () => {
    const prefix = `${uniqueName('sh').replace(/[^a-zA-Z0-9]/g, '_')}.`;
    [clients, scheduling] = await Promise.all([
      startService('clients', { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix }),
      startService('scheduling', { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix }),
    ]);
    await request(clients.url).put('/_test/clock').set(auth(admin)).send({ now: '2026-03-02T12:00:00Z' }).expect(200);
    const clientId = await cl('/clients', { name: 'Client', email: 'c@x.co', timezone: 'America/New_York', currency: 'USD' });
    const assistantId = await cl('/assistants', { name: 'VA', email: 'va@x.co', timezone: 'Europe/London', weeklyCapacityHours: 40, skills: [], payRate: { amountMinor: 1200, currency: 'USD' } });
    const engagementId = await cl('/engagements', { clientId, assistantId, kind: 'part-time', weeklyHours: 2, startsOn: '2026-03-02', noticePeriodDays: 14, plan: { type: 'hourly', rate: { amountMinor: 4000, currency: 'USD' } } });
    client = tokenFor({ sub: 'exec-sh', agencyId: agency, role: 'client', clientId });
    assistant = tokenFor({ sub: 'va-sh', agencyId: agency, role: 'assistant', assistantId });
    await waitUntil(async () => (await request(scheduling.url).get(`/engagements/${engagementId}/scheduling-policy`).set(auth(admin))).status === 200, { timeoutMs: 30_000, what: 'scheduling to learn the engagement' });
    for (const q of [`clientId=${clientId}`, `assistantId=${assistantId}`]) {
      await waitUntil(async () => (await request(scheduling.url).get(`/agenda?date=2026-03-02&${q}`).set(auth(admin))).status === 200, { timeoutMs: 30_000, what: `scheduling to learn ${q}` });
    }

    await setClock('2026-03-02T09:00:00Z');
    id = (await act('/appointments', { engagementId, kind: 'check-in', startsAt: '2026-03-10T14:00:00Z', endsAt: '2026-03-10T14:30:00Z', title: 'Weekly' }, client, 'sh-book', 201)).body.id;
    await setClock('2026-03-05T09:00:00Z');
    await act(`/appointments/${id}/reschedule`, { startsAt: '2026-03-10T15:00:00Z', endsAt: '2026-03-10T15:30:00Z', reason: 'dentist' }, assistant, 'sh-move', 200);
    await setClock('2026-03-10T14:30:00Z');
    await act(`/appointments/${id}/cancel`, { reason: 'sick' }, client, 'sh-cancel', 200);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([clients?.stop(), scheduling?.stop()]);
  });

  it('lists every change in order: what, who, when, why and the correlation id', async () => {
    const { body } = await get(`/appointments/${id}/history`);
    expect(body.items.map((i: Record<string, unknown>) => [i.type, (i.actor as { sub: string }).sub, i.at, i.reason, i.correlationId])).toEqual([
      ['AppointmentBooked', 'exec-sh', '2026-03-02T09:00:00.000Z', undefined, 'sh-book'],
      ['AppointmentRescheduled', 'va-sh', '2026-03-05T09:00:00.000Z', 'dentist', 'sh-move'],
      ['AppointmentCancelled', 'exec-sh', '2026-03-10T14:30:00.000Z', 'sick', 'sh-cancel'],
    ]);
    expect(body.items[1].changes).toMatchObject({ previousStartsAt: '2026-03-10T14:00:00.000Z', startsAt: '2026-03-10T15:00:00.000Z', by: 'assistant', late: false });
    expect(body.items[2].changes).toEqual({ by: 'client', late: true });
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
    expect((await get(`/appointments/${id}/history`, client)).body.items).toHaveLength(3);
    expect((await get(`/appointments/${id}?asOf=2026-03-06T00:00:00Z`, assistant)).body.startsAt).toBe('2026-03-10T15:00:00.000Z');
    const others = [
      tokenFor({ sub: 'x', agencyId: agency, role: 'client', clientId: '0190a0a0-0000-7000-8000-000000000001' }),
      tokenFor({ sub: 'y', agencyId: agency, role: 'assistant', assistantId: '0190a0a0-0000-7000-8000-000000000002' }),
      tokenFor({ sub: 'z', agencyId: `${agency}-other`, role: 'agency-admin' }),
    ];
    for (const t of others) {
      expect((await get(`/appointments/${id}/history`, t, 404)).body.code).toBe('APPOINTMENT.NOT_FOUND');
      await get(`/appointments/${id}?asOf=2026-03-06T00:00:00Z`, t, 404);
    }
  });
});
