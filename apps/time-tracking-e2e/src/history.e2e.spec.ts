import request from 'supertest';
import { startService, tokenFor, uniqueName, waitUntil, type RunningService } from '@vaops/testing';

/**
 * "Who approved week 11 and what did it say before the adjustment": a week's history and its state as
 * of an instant, against running clients and time-tracking services (real Kafka and FerretDB, test
 * clocks). Logged and submitted by the assistant, rejected with a reason and then approved by the
 * client, adjusted after approval and approved again by the agency, each with the correlation id of its
 * request; each role's scope.
 */
describe('timesheet week history and as-of over HTTP', () => {
  let clients: RunningService;
  let tt: RunningService;
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
  const agency = uniqueName('agency-th');
  const admin = tokenFor({ sub: 'ops-th', agencyId: agency, role: 'agency-admin' });
  let position = 0;
  let engagementId: string;
  let entryId: string;
  let client: string;
  let assistant: string;
  const week = () => `/timesheets/${engagementId}/2026-W11`;

  const setClock = (now: string) => request(tt.url).put('/_test/clock').set(auth(admin)).send({ now }).expect(200);
  const cl = async (path: string, body: object) => (await request(clients.url).post(path).set(auth(admin)).send(body).expect(201)).body.id as string;
  const act = async (now: string, path: string, body: object, token: string, correlationId: string, status = 200) => {
    await setClock(now);
    const r = await request(tt.url).post(path).set(auth(token)).set('X-Correlation-Id', correlationId).send(body).expect(status);
    position = Math.max(position, r.body.position);
    return r;
  };
  const get = (path: string, token = admin, status = 200) =>
    request(tt.url).get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`).set(auth(token)).expect(status);

  beforeAll(async () => {
    const prefix = `${uniqueName('th').replace(/[^a-zA-Z0-9]/g, '_')}.`;
    [clients, tt] = await Promise.all([
      startService('clients', { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix }),
      startService('time-tracking', { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix }),
    ]);
    await request(clients.url).put('/_test/clock').set(auth(admin)).send({ now: '2026-03-02T12:00:00Z' }).expect(200);
    const clientId = await cl('/clients', { name: 'Client', email: 'c@x.co', timezone: 'America/New_York', currency: 'USD' });
    const assistantId = await cl('/assistants', { name: 'VA', email: 'va@x.co', timezone: 'Europe/London', weeklyCapacityHours: 40, skills: [], payRate: { amountMinor: 1200, currency: 'USD' } });
    engagementId = await cl('/engagements', { clientId, assistantId, kind: 'part-time', weeklyHours: 2, startsOn: '2026-03-02', noticePeriodDays: 14, phase: 1, plan: { type: 'hourly', rate: { amountMinor: 4000, currency: 'USD' } } });
    client = tokenFor({ sub: 'exec-th', agencyId: agency, role: 'client', clientId });
    assistant = tokenFor({ sub: 'va-th', agencyId: agency, role: 'assistant', assistantId });
    await waitUntil(async () => (await request(tt.url).get(`/time-entries?engagementId=${engagementId}`).set(auth(admin))).status === 200, { timeoutMs: 30_000, what: 'time-tracking to learn the engagement' });

    const logged = await act('2026-03-20T12:00:00Z', '/time-entries', { engagementId, category: 'data-entry', startedAt: '2026-03-10T10:00:00Z', endedAt: '2026-03-10T11:00:00Z', billable: true }, assistant, 'th-log', 201);
    entryId = logged.body.id;
    await act('2026-03-20T13:00:00Z', `${week()}/submit`, {}, assistant, 'th-submit-1');
    await act('2026-03-21T09:00:00Z', `${week()}/reject`, { reason: 'which project was this?' }, client, 'th-reject');
    await act('2026-03-21T10:00:00Z', `${week()}/submit`, {}, assistant, 'th-submit-2');
    await act('2026-03-22T09:00:00Z', `${week()}/approve`, {}, client, 'th-approve-1');
    await act('2026-03-25T09:00:00Z', `/time-entries/${entryId}/adjustments`, { category: 'data-entry', startedAt: '2026-03-10T10:00:00Z', endedAt: '2026-03-10T10:45:00Z', billable: true, reason: 'left at 10:45' }, assistant, 'th-adjust', 201);
    await act('2026-03-25T10:00:00Z', `${week()}/submit`, {}, assistant, 'th-submit-3');
    await act('2026-03-26T09:00:00Z', `${week()}/approve`, {}, admin, 'th-approve-2');
  }, 120_000);
  afterAll(async () => {
    await Promise.all([clients?.stop(), tt?.stop()]);
  });

  it('lists every change of the week in order: what, who, when, why and the correlation id', async () => {
    const { body } = await get(`${week()}/history`);
    expect(body.items.map((i: Record<string, unknown>) => [i.type, (i.actor as { sub: string }).sub, i.at, i.reason, i.correlationId])).toEqual([
      ['TimeEntryLogged', 'va-th', '2026-03-20T12:00:00.000Z', undefined, 'th-log'],
      ['TimesheetSubmitted', 'va-th', '2026-03-20T13:00:00.000Z', undefined, 'th-submit-1'],
      ['TimesheetRejected', 'exec-th', '2026-03-21T09:00:00.000Z', 'which project was this?', 'th-reject'],
      ['TimesheetSubmitted', 'va-th', '2026-03-21T10:00:00.000Z', undefined, 'th-submit-2'],
      ['TimesheetApproved', 'exec-th', '2026-03-22T09:00:00.000Z', undefined, 'th-approve-1'],
      ['TimeEntryAdjusted', 'va-th', '2026-03-25T09:00:00.000Z', 'left at 10:45', 'th-adjust'],
      ['TimesheetSubmitted', 'va-th', '2026-03-25T10:00:00.000Z', undefined, 'th-submit-3'],
      ['TimesheetApproved', 'ops-th', '2026-03-26T09:00:00.000Z', undefined, 'th-approve-2'],
    ]);
    expect(body.items[4].changes).toMatchObject({ approvedBy: 'client', billedMinutes: 60 });
    expect(body.items[5].changes).toMatchObject({ adjusts: entryId, actualMinutes: -15 });
  });

  it('answers the week as it stood: 404 before its first change, approved with 60 minutes before the adjustment, today\'s answer after', async () => {
    expect((await get(`${week()}?asOf=2026-03-20T11:59:59Z`, admin, 404)).body.code).toBe('TIMESHEET.NOT_FOUND');
    const approvedFirst = await get(`${week()}?asOf=2026-03-24T00:00:00Z`);
    expect(approvedFirst.body).toMatchObject({ status: 'approved', version: 4, billedMinutes: 60 });
    expect(approvedFirst.body.entries).toEqual([expect.objectContaining({ id: entryId, actualMinutes: 60, billedMinutes: 60, status: 'approved', adjusts: null })]);
    expect(approvedFirst.headers.etag).toBe('"4"');
    expect((await get(`${week()}?asOf=2026-03-21T09:30:00Z`)).body).toMatchObject({ status: 'rejected', version: 2, entries: [{ id: entryId, status: 'rejected' }] });
    const after = await get(`${week()}?asOf=2026-03-27T00:00:00Z`);
    expect(after.body).toEqual((await get(week())).body);
    // the hour stays, corrected by the adjusting entry's −15: the week bills 45 minutes
    expect(after.body).toMatchObject({ status: 'approved', version: 6, billedMinutes: 45, entries: [{ id: entryId, billedMinutes: 60, supersededBy: expect.any(String), status: 'approved' }, { adjusts: entryId, billedMinutes: -15, status: 'approved' }] });
    expect(after.body.entries[0].supersededBy).toBe(after.body.entries[1].id);
    const bad = await get(`${week()}?asOf=2026-W11`, admin, 400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf']);
  });

  it('scopes both as the current week: its client (entries once approved) and assistant; another client, assistant or agency 404', async () => {
    expect((await get(`${week()}/history`, client)).body.items).toHaveLength(8);
    expect((await get(`${week()}/history`, assistant)).body.items).toHaveLength(8);
    // as the week's GET: a client sees the total it was asked to approve, and entries once approved
    expect((await get(`${week()}?asOf=2026-03-21T12:00:00Z`, client)).body).toMatchObject({ status: 'submitted', billedMinutes: 60, entries: [] });
    expect((await get(`${week()}?asOf=2026-03-24T00:00:00Z`, client)).body.entries).toHaveLength(1);
    const others = [
      tokenFor({ sub: 'x', agencyId: agency, role: 'client', clientId: '0190a0a0-0000-7000-8000-000000000001' }),
      tokenFor({ sub: 'y', agencyId: agency, role: 'assistant', assistantId: '0190a0a0-0000-7000-8000-000000000002' }),
      tokenFor({ sub: 'z', agencyId: `${agency}-other`, role: 'agency-admin' }),
    ];
    for (const t of others) {
      expect((await get(`${week()}/history`, t, 404)).body.code).toBe('ENGAGEMENT.NOT_FOUND');
      await get(`${week()}?asOf=2026-03-24T00:00:00Z`, t, 404);
    }
    await get(`/timesheets/${engagementId}/2026-W99/history`, admin, 400);
  });
});
