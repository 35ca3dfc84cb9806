import request from 'supertest';
import { bearer, expectHistory, namedPeople, outsiders, setTestClock, startService, usd, type RunningService } from '@vaops/testing';

/**
 * An engagement's history and its state as of an instant, against the running clients service (real
 * Kafka and FerretDB) with the test clock: every change with who, when, why and the correlation id of
 * its request, the fold at instants before, between and after the changes, and the scoping of each role.
 */
describe('engagement history and as-of over HTTP', () => {
  let svc: RunningService;
  const agency = 'agency-history';
  const people = namedPeople(agency, 'h');
  const { admin } = people;
  let position = 0;

  const send = async (method: 'post' | 'put', path: string, body: object, token: string, correlationId: string, status: number) => {
    const r = await request(svc.url)[method](path).set(bearer(token)).set('X-Correlation-Id', correlationId).send(body).expect(status);
    expect(r.headers['x-correlation-id']).toBe(correlationId);
    if (typeof r.body.position === 'number') position = Math.max(position, r.body.position);
    return r;
  };
  const get = (path: string, token = admin, status = 200) => request(svc.url).get(path).set(bearer(token)).expect(status);
  const setClock = (now: string) => setTestClock(svc, admin, now);

  let id: string;
  let clientId: string;
  let assistantId: string;
  let client: string;
  let assistant: string;

  beforeAll(async () => {
    svc = await startService('clients', { VAOPS_TEST_CLOCK: '1' });
    await setClock('2026-03-02T12:00:00Z');
    clientId = (await send('post', '/clients', { name: 'Client', email: 'c@x.co', timezone: 'America/New_York', currency: 'USD' }, admin, 'h-client', 201)).body.id;
    assistantId = (await send('post', '/assistants', { name: 'VA', email: 'va@x.co', timezone: 'Asia/Manila', weeklyCapacityHours: 30, skills: [], payRate: usd(1200) }, admin, 'h-assistant', 201)).body.id;
    ({ client, assistant } = people.of({ clientId, assistantId }));
    const plan = { type: 'hourly', rate: usd(4000) };
    id = (await send('post', '/engagements', { clientId, assistantId, kind: 'part-time', weeklyHours: 10, startsOn: '2026-03-02', noticePeriodDays: 14, phase: 1, plan }, admin, 'h-start', 201)).body.id;
    await setClock('2026-03-04T12:00:00Z');
    await send('post', `/engagements/${id}/communications`, { channel: 'call', occurredAt: '2026-03-04T11:00:00Z', summary: 'first call' }, assistant, 'h-call', 201);
    await setClock('2026-03-06T12:00:00Z');
    await send('post', `/engagements/${id}/phase`, { phase: 2, reason: 'screens calls well' }, client, 'h-phase', 200);
    await setClock('2026-03-09T12:00:00Z');
    await send('post', `/engagements/${id}/notice`, { by: 'client', reason: 'moving in-house' }, client, 'h-notice', 200);
  }, 120_000);
  afterAll(async () => {
    await svc?.stop();
  });

  it('lists every change in order: what, who, when, why and the correlation id', async () => {
    const items = await expectHistory(get(`/engagements/${id}/history`), [
      ['EngagementStarted', 'ops-h', '2026-03-02T12:00:00.000Z', undefined, 'h-start'],
      ['CommunicationLogged', 'va-h', '2026-03-04T12:00:00.000Z', undefined, 'h-call'],
      ['EngagementPhaseChanged', 'exec-h', '2026-03-06T12:00:00.000Z', 'screens calls well', 'h-phase'],
      ['EngagementNoticeGiven', 'exec-h', '2026-03-09T12:00:00.000Z', 'moving in-house', 'h-notice'],
    ]);
    expect(items[0]).toMatchObject({ actor: { role: 'agency-admin' }, changes: { clientId, assistantId, phase: 1, plan: { type: 'hourly' } } });
    expect(items[2]).toMatchObject({ actor: { role: 'client' }, changes: { from: 1, to: 2 } });
    expect(items[3].changes).toMatchObject({ by: 'client', endsOn: expect.any(String) });
  });

  it('answers the state as it stood: 404 before the start, each change from its instant on, today\'s answer after the last', async () => {
    await get(`/engagements/${id}?asOf=2026-03-02T11:59:59Z`, admin, 404);
    const first = await get(`/engagements/${id}?asOf=2026-03-02T12:00:00Z`);
    expect(first.body).toMatchObject({ id, status: 'active', phase: 1, notice: null, version: 1, lastActivityAt: '2026-03-02' });
    expect(first.headers.etag).toBe('"1"');
    const between = await get(`/engagements/${id}?asOf=2026-03-07T00:00:00%2B01:00`);
    expect(between.body).toMatchObject({ status: 'active', phase: 2, version: 3, lastActivityAt: '2026-03-04T11:00:00.000Z' });
    expect(between.body.history).toHaveLength(3);
    const after = await get(`/engagements/${id}?asOf=2026-03-10T00:00:00Z`);
    const now = await get(`/engagements/${id}?minPosition=${position}`);
    expect(after.body).toEqual(now.body);
    expect(after.body).toMatchObject({ status: 'in-notice', notice: { by: 'client', reason: 'moving in-house' }, version: 4 });
  });

  it('refuses a malformed asOf with a 400 naming it', async () => {
    for (const bad of ['yesterday', '2026-03-05', '2026-03-05T10:00:00', '2026-13-05T10:00:00Z']) {
      const r = await get(`/engagements/${id}?asOf=${bad}`, admin, 400);
      expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf']);
    }
  });

  it('scopes both as the current state: its client and assistant (never the plan for the assistant), no other client or agency', async () => {
    await get(`/engagements/${id}/history`, client);
    const va = await get(`/engagements/${id}/history`, assistant);
    expect(va.body.items.map((i: { type: string }) => i.type)).toEqual(['EngagementStarted', 'CommunicationLogged', 'EngagementPhaseChanged', 'EngagementNoticeGiven']);
    expect(JSON.stringify(va.body)).not.toContain('"plan"');
    const vaAsOf = await get(`/engagements/${id}?asOf=2026-03-03T00:00:00Z`, assistant);
    expect(vaAsOf.body).not.toHaveProperty('plan');
    for (const t of Object.values(outsiders(agency))) {
      expect((await get(`/engagements/${id}/history`, t, 404)).body.code).toBe('ENGAGEMENT.NOT_FOUND');
      await get(`/engagements/${id}?asOf=2026-03-10T00:00:00Z`, t, 404);
    }
    await get('/engagements/0190a0a0-0000-7000-8000-000000000003/history', admin, 404);
  });
});
