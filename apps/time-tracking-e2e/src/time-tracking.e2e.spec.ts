import request from 'supertest';
import { agencyRoles, bearer, createIn, describeInputHardening, dieInFlight, expectSilenceAfterFiveWorkingDays, readTopic, replayTwice, SEED, setTestClock, startService, suiteServices, testKafka, untilTimeTrackingKnows, waitUntil } from '@vaops/testing';
import { timeTrackingProjections } from '@vaops/time-tracking-service/src/projections';

/**
 * The time-tracking service over HTTP against the real servers, fed by a running clients service on the
 * same topic prefix: entries, timers, timesheets, retainers, and every role's view.
 */
describe('time-tracking over HTTP', () => {
  const [clients, tt] = suiteServices(['clients', 'time-tracking'], { VAOPS_TEST_CLOCK: '1' });
  const agency = 'agency-t';
  const { admin, adminOf, asClient, asAssistant } = agencyRoles(agency);

  let position = 0;
  const post = async (path: string, body: object, token = admin, status = 201) => {
    const r = await request(tt.url).post(path).set(bearer(token)).send(body);
    if (r.status !== status) throw new Error(`POST ${path} answered ${r.status}, expected ${status}: ${JSON.stringify(r.body)}`);
    if (typeof r.body.position === 'number') position = Math.max(position, r.body.position);
    return r;
  };
  const get = async (path: string, token = admin, status = 200) => {
    const r = await request(tt.url).get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position || 1}`).set(bearer(token));
    if (r.status !== status) throw new Error(`GET ${path} answered ${r.status}, expected ${status}: ${JSON.stringify(r.body)}`);
    return r;
  };
  const setClock = (now: string) => setTestClock(tt, admin, now);
  const newClient = () => createIn(clients, admin, '/clients', SEED.client);
  const newAssistant = (timezone = 'Europe/London') => createIn(clients, admin, '/assistants', { ...SEED.assistant, timezone });
  const retainer = { type: 'retainer', monthlyFee: { amountMinor: 100000, currency: 'USD' }, includedHours: 1, overageRate: { amountMinor: 5000, currency: 'USD' }, rollover: false };
  /** Starts an engagement in the clients service and waits until time-tracking knows it and its assistant. */
  const newEngagement = async (clientId: string, assistantId: string, over: object = {}) => {
    const engagementId = await createIn(clients, admin, '/engagements', { clientId, assistantId, ...SEED.engagement, ...over });
    await untilTimeTrackingKnows(tt, admin, engagementId);
    return engagementId;
  };
  const entry = (engagementId: string, startedAt: string, endedAt: string, over: object = {}) => ({ engagementId, category: 'data-entry', startedAt, endedAt, billable: true, ...over });

  beforeAll(async () => {
    await setTestClock(clients, admin, '2026-03-02T12:00:00Z');
    await setClock('2026-03-20T12:00:00Z');
  }, 120_000);

  describeInputHardening(() => tt.url, '/time-entries', () => adminOf(agency));

  it('logs time on allowed categories and shows it to the assistant, and to the client only once approved', async () => {
    const [c1, c2, a] = [await newClient(), await newClient(), await newAssistant()];
    const [e1, e2] = [await newEngagement(c1, a), await newEngagement(c2, a)];
    const logged = await post('/time-entries', entry(e1, '2026-03-09T10:00:00Z', '2026-03-09T10:07:00Z', { notes: 'secret notes' }), asAssistant(a));
    expect(logged.headers.location).toBe(`/time-entries/${logged.body.id}`);
    expect((await post('/time-entries', entry(e1, '2026-03-09T11:00:00Z', '2026-03-09T12:00:00Z', { category: 'screening' }), asAssistant(a), 409)).body.code).toBe('TIME_ENTRY.CATEGORY_NOT_ALLOWED');
    expect((await post('/time-entries', entry(e2, '2026-03-09T10:05:00Z', '2026-03-09T10:30:00Z'), admin, 409)).body.code).toBe('TIME_ENTRY.OVERLAP');
    await post('/time-entries', entry(e1, '2026-03-09T11:00:00Z', '2026-03-09T12:00:00Z', { agencyId: 'x' }), admin, 400);
    await post('/time-entries', entry(e1, '2026-03-09T11:00:00Z', '2026-03-09T12:00:00Z'), asClient(c1), 403);
    await post('/time-entries', entry(e1, '2026-03-09T11:00:00Z', '2026-03-09T12:00:00Z'), asAssistant(await newAssistant()), 404);

    const mine = await get(`/time-entries?engagementId=${e1}`, asAssistant(a));
    expect(mine.body.items).toEqual([expect.objectContaining({ id: logged.body.id, engagementId: e1, category: 'data-entry', startedAt: '2026-03-09T10:00:00.000Z', endedAt: '2026-03-09T10:07:00.000Z', actualMinutes: 7, billedMinutes: 7, billable: true, status: 'open', version: 1 })]);
    expect((await get(`/time-entries?engagementId=${e1}`, asClient(c1))).body.items).toEqual([]);
    await get(`/time-entries?engagementId=${e1}`, asClient(c2), 404);
    await get(`/time-entries?engagementId=${e1}`, adminOf('agency-other'), 404);
    expect((await get('/time-entries', adminOf('agency-other'))).body.items).toEqual([]);

    // submitted by the assistant, approved by the client: then visible to it and locked
    await post(`/timesheets/${e1}/2026-W11/submit`, {}, asAssistant(a), 200);
    await post(`/timesheets/${e1}/2026-W11/approve`, {}, asAssistant(a), 403);
    await post(`/timesheets/${e1}/2026-W11/approve`, {}, asClient(c2), 404);
    await post(`/timesheets/${e1}/2026-W11/approve`, {}, asClient(c1), 200);
    const approved = await get(`/time-entries?engagementId=${e1}`, asClient(c1));
    expect(approved.body.items).toEqual([expect.objectContaining({ id: logged.body.id, status: 'approved' })]);
    expect((await get('/time-entries', asClient(c2))).body.items).toEqual([]);
    const edit = await request(tt.url).put(`/time-entries/${logged.body.id}`).set(bearer(asAssistant(a))).send({ category: 'data-entry', startedAt: '2026-03-09T10:00:00Z', endedAt: '2026-03-09T10:20:00Z', billable: true });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('TIME_ENTRY.LOCKED');
    // If-Match names the adjusted entry's version (its ETag): a stale one is 409 and adds nothing
    const adjustment = { category: 'data-entry', startedAt: '2026-03-09T10:00:00Z', endedAt: '2026-03-09T10:20:00Z', billable: true, reason: 'forgot' };
    const staleAdj = await request(tt.url).post(`/time-entries/${logged.body.id}/adjustments`).set(bearer(asAssistant(a))).set('If-Match', '"1"').send(adjustment);
    expect({ status: staleAdj.status, code: staleAdj.body.code }).toEqual({ status: 409, code: 'CONCURRENCY.CONFLICT' });
    const entryTag = (await get(`/time-entries/${logged.body.id}`, asAssistant(a))).headers.etag;
    const adj = await request(tt.url).post(`/time-entries/${logged.body.id}/adjustments`).set(bearer(asAssistant(a))).set('If-Match', entryTag).send(adjustment).expect(201);
    position = Math.max(position, adj.body.position);
    expect((await get(`/time-entries/${adj.body.id}`, asAssistant(a))).body).toMatchObject({ adjusts: logged.body.id, actualMinutes: 13, status: 'open' });
  });

  it('lets exactly one of 5 simultaneous overlapping entries for one assistant through', async () => {
    const a = await newAssistant();
    const cs = await Promise.all([1, 2, 3, 4, 5].map(() => newClient()));
    const es: string[] = [];
    for (const c of cs) es.push(await newEngagement(c, a));
    const results = await Promise.all(es.map((e, i) => request(tt.url).post('/time-entries').set(bearer(asAssistant(a))).send(entry(e, `2026-03-12T10:${String(i * 5).padStart(2, '0')}:00Z`, '2026-03-12T11:00:00Z'))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('TIME_ENTRY.OVERLAP');
    position = Math.max(position, ...results.map((r) => r.body.position ?? 0));
    expect((await get('/time-entries?from=2026-03-12T00:00:00Z&to=2026-03-13T00:00:00Z', asAssistant(a))).body.items).toHaveLength(1);
  });

  it('runs one timer per assistant and logs its time when stopped', async () => {
    const [c, a] = [await newClient(), await newAssistant()];
    const e = await newEngagement(c, a);
    await setClock('2026-03-16T09:00:00Z');
    expect((await request(tt.url).get('/timers/current').set(bearer(asAssistant(a))).expect(200)).body).toEqual({ timer: null });
    await post('/timers/start', { engagementId: e, category: 'supplies' }, asAssistant(a));
    expect((await request(tt.url).get('/timers/current').set(bearer(asAssistant(a))).expect(200)).body).toEqual({ timer: { engagementId: e, clientId: c, category: 'supplies', startedAt: '2026-03-16T09:00:00.000Z' } });
    await request(tt.url).get('/timers/current').set(bearer(admin)).expect(403);
    expect((await post('/timers/start', { engagementId: e, category: 'supplies' }, asAssistant(a), 409)).body.code).toBe('TIMER.ALREADY_RUNNING');
    await post('/timers/start', { engagementId: e, category: 'supplies' }, admin, 403);
    await setClock('2026-03-16T09:25:00Z');
    const stopped = await post('/timers/stop', {}, asAssistant(a), 200);
    expect((await get(`/time-entries/${stopped.body.id}`, asAssistant(a))).body).toMatchObject({ actualMinutes: 25, category: 'supplies', status: 'open' });
    expect((await post('/timers/stop', {}, asAssistant(a), 409)).body.code).toBe('TIMER.NOT_RUNNING');
    await setClock('2026-03-20T12:00:00Z');
  });

  it('decides a logged entry and a timer stop whose process died before storing the answer again, with the same id: each once', async () => {
    const [c, a] = [await newClient(), await newAssistant()];
    const e = await newEngagement(c, a);
    const va = asAssistant(a);
    const claims = { sub: `a-${a}`, agencyId: agency };
    const retried = async (path: string, body: object, status: number) => {
      const key = `crash-${path}-${a}`;
      const send = () => request(tt.url).post(path).set(bearer(va)).set('Idempotency-Key', key).send(body).expect(status);
      const first = await send();
      position = Math.max(position, first.body.position);
      await dieInFlight(tt, claims, key);
      const again = await send();
      expect(again.headers['idempotent-replayed']).toBeUndefined(); // decided again, not replayed
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers.location).toBe(first.headers.location);
      return first.body.id as string;
    };
    const logged = await retried('/time-entries', entry(e, '2026-03-13T10:00:00Z', '2026-03-13T10:45:00Z'), 201);
    await setClock('2026-03-17T14:00:00Z');
    await post('/timers/start', { engagementId: e, category: 'supplies' }, va);
    await setClock('2026-03-17T14:40:00Z');
    const timed = await retried('/timers/stop', {}, 200);
    await setClock('2026-03-20T12:00:00Z');
    const items = (await get(`/time-entries?engagementId=${e}`, va)).body.items as { id: string }[];
    expect(items.map((i) => i.id).sort()).toEqual([logged, timed].sort());
  });

  it('rejects with a reason, bulk-approves an agency week and burns down a retainer with warnings', async () => {
    const [c, a, b] = [await newClient(), await newAssistant(), await newAssistant()];
    const e = await newEngagement(c, a, { plan: retainer });
    const f = await newEngagement(await newClient(), b);
    await post('/time-entries', entry(e, '2026-03-17T10:00:00Z', '2026-03-17T10:50:00Z'), asAssistant(a));
    await post('/time-entries', entry(f, '2026-03-17T10:00:00Z', '2026-03-17T10:50:00Z'), asAssistant(b));
    await post(`/timesheets/${e}/2026-W12/submit`, {}, asAssistant(a), 200);
    await post(`/timesheets/${e}/2026-W12/reject`, {}, asClient(c), 400);
    await post(`/timesheets/${e}/2026-W12/reject`, { reason: 'wrong day' }, asClient(c), 200);
    await post(`/timesheets/${e}/2026-W12/submit`, {}, asAssistant(a), 200);
    await post(`/timesheets/${f}/2026-W12/submit`, {}, asAssistant(b), 200);
    await post('/timesheets/approve-bulk', { isoWeek: '2026-W12' }, asClient(c), 403);
    let bulk: request.Response | undefined;
    await waitUntil(async () => (bulk = await post('/timesheets/approve-bulk', { isoWeek: '2026-W12' }, admin, 200)).body.approved > 0 || false, { timeoutMs: 10_000, what: 'bulk approval' }).catch(() => undefined);
    const statuses = async () => [...(await get(`/time-entries?engagementId=${e}`)).body.items, ...(await get(`/time-entries?engagementId=${f}`)).body.items].map((i: { status: string }) => i.status);
    await waitUntil(async () => {
      const s = await statuses();
      if (s.some((x: string) => x === 'submitted')) await post('/timesheets/approve-bulk', { isoWeek: '2026-W12' }, admin, 200);
      return s.length === 2 && s.every((x: string) => x === 'approved');
    }, { timeoutMs: 20_000, what: 'both timesheets approved' });
    expect(bulk?.body.failed ?? []).toEqual([]);
    const burn = await get(`/engagements/${e}/retainer?month=2026-03`, asClient(c));
    expect(burn.body).toMatchObject({ includedHours: 1, usedMinutes: 50, includedMinutes: 60 });
    // 50 of 60 included minutes: the 80% warning is on the public stream, once; the 100% one is not
    const topic = `${tt.env.VAOPS_TOPIC_PREFIX}vaops.time-tracking.events.v1`;
    const warnings = await waitUntil(async () => {
      const ws = (await readTopic(testKafka(), topic)).map((m) => JSON.parse(m.value!)).filter((m) => m.type === 'RetainerUsageWarning' && m.data.engagementId === e);
      return ws.length > 0 ? ws : undefined;
    }, { what: 'RetainerUsageWarning on the topic' });
    expect(warnings.map((w: { data: { threshold: number } }) => w.data.threshold)).toEqual([80]);
    await get(`/engagements/${e}/retainer?month=2026-03`, asAssistant(a), 403);
    await get(`/engagements/${e}/retainer?month=2026-03`, asClient(await newClient()), 404);

    // many retainers in one request: the same figures; an hourly engagement, an unknown id and another
    // client's retainer are left out, as their own routes would be 404
    const g = await newEngagement(await newClient(), b, { plan: retainer });
    const many = await get(`/retainers?month=2026-03&engagementIds=${e},${f},${g},${e},nope`);
    expect(many.body).toEqual({ month: '2026-03', items: [burn.body, expect.objectContaining({ engagementId: g, usedMinutes: 0, includedMinutes: 60, pendingMinutes: 0 })] });
    expect((await get(`/retainers?month=2026-03&engagementIds=${e},${g}`, asClient(c))).body.items).toEqual([burn.body]);
    await get(`/retainers?month=2026-03&engagementIds=${e}`, asAssistant(a), 403);
    const bad = await get(`/retainers?month=2026-13&engagementIds=${Array.from({ length: 201 }, (_, i) => `id${i}`).join(',')}`, admin, 400);
    expect(bad.body.errors.map((x: { field: string }) => x.field).sort()).toEqual(['engagementIds', 'month']);
    expect((await get('/retainers?month=2026-03', admin, 400)).body.errors.map((x: { field: string }) => x.field)).toEqual(['engagementIds']);
  });

  it('versions a week: its ETag goes back as If-Match on submit, approve and reject; a stale one is 409, a malformed one 400', async () => {
    const [c, a] = [await newClient(), await newAssistant()];
    const e = await newEngagement(c, a);
    const week = `/timesheets/${e}/2026-W11`;
    const write = (path: string, token: string, ifMatch: string | undefined, body: object = {}) => {
      const r = request(tt.url).post(path).set(bearer(token));
      return (ifMatch === undefined ? r : r.set('If-Match', ifMatch)).send(body);
    };
    const logged = await post('/time-entries', entry(e, '2026-03-10T09:00:00Z', '2026-03-10T10:00:00Z'), asAssistant(a));
    const open = await get(week, asAssistant(a));
    expect(open.headers.etag).toBe('"0"');
    expect(open.body).toMatchObject({ engagementId: e, isoWeek: '2026-W11', status: 'open', version: 0, billedMinutes: 60, entries: [expect.objectContaining({ id: logged.body.id })] });
    expect((await get(week, asClient(c))).body).toMatchObject({ status: 'open', entries: [] });
    await get(week, asClient(await newClient()), 404);

    expect((await write(`${week}/submit`, asAssistant(a), '"1"')).body.code).toBe('CONCURRENCY.CONFLICT');
    expect((await write(`${week}/submit`, asAssistant(a), 'soon')).status).toBe(400);
    const submitted = await write(`${week}/submit`, asAssistant(a), open.headers.etag);
    expect({ status: submitted.status, etag: submitted.headers.etag, version: submitted.body.version }).toEqual({ status: 200, etag: '"1"', version: 1 });
    position = Math.max(position, submitted.body.position);

    // the client rejects what it saw; the assistant resubmits; the client's old ETag no longer approves
    const seen = (await get(week, asClient(c))).headers.etag;
    expect(seen).toBe('"1"');
    const rejected = await write(`${week}/reject`, asClient(c), seen, { reason: 'split the call' });
    expect(rejected.headers.etag).toBe('"2"');
    expect((await write(`${week}/reject`, asClient(c), seen, { reason: 'again' })).status).toBe(409);
    const resubmitted = await write(`${week}/submit`, asAssistant(a), undefined);
    expect(resubmitted.body.version).toBe(3);
    const stale = await write(`${week}/approve`, asClient(c), seen);
    expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 409, code: 'CONCURRENCY.CONFLICT' });
    position = Math.max(position, resubmitted.body.position);
    expect((await get(week, asClient(c))).body).toMatchObject({ status: 'submitted', version: 3, billedMinutes: 60, entries: [] });
    const approved = await write(`${week}/approve`, asClient(c), '"3"');
    expect({ status: approved.status, etag: approved.headers.etag }).toEqual({ status: 200, etag: '"4"' });
    position = Math.max(position, approved.body.position);
    expect((await get(week, asClient(c))).body).toMatchObject({ status: 'approved', version: 4, billedMinutes: 60, entries: [expect.objectContaining({ id: logged.body.id, status: 'approved' })] });

    // the list of weeks, by week and status, scoped like every read
    const listed = { engagementId: e, isoWeek: '2026-W11', assistantId: a, clientId: c, status: 'approved', version: 4 };
    expect((await get('/timesheets?isoWeek=2026-W11&status=approved', asClient(c))).body.items).toEqual([listed]);
    expect((await get('/timesheets?isoWeek=2026-W11', asAssistant(a))).body.items).toEqual([listed]);
    expect((await get('/timesheets?isoWeek=2026-W11&status=approved')).body.items).toContainEqual(listed);
    expect((await get('/timesheets?isoWeek=2026-W11&status=submitted')).body.items).not.toContainEqual(expect.objectContaining({ engagementId: e }));
    expect((await get('/timesheets?isoWeek=2026-W11', asClient(await newClient()))).body.items).toEqual([]);
    await get('/timesheets?isoWeek=11', admin, 400);
  });

  it('feeds the clients service: logged time keeps an engagement from going silent', async () => {
    await setTestClock(clients, admin, '2026-03-02T12:00:00Z');
    const [c, a] = [await newClient(), await newAssistant()];
    const e = await newEngagement(c, a);
    await post('/time-entries', entry(e, '2026-03-11T09:00:00Z', '2026-03-11T10:30:00Z'), asAssistant(a));
    await expectSilenceAfterFiveWorkingDays(clients, admin, e, {
      lastActivityAt: '2026-03-11T10:30:00.000Z',
      heardOf: 'TimeEntryLogged',
      stillActiveOn: '2026-03-17T12:00:00Z', // Tuesday: 4 working days after Wednesday's work (11 after the start)
      silentOn: '2026-03-18T12:00:00Z', // Wednesday: the 5th
      clockAfter: '2026-03-02T12:00:00Z',
    });
  });

  it('answers 20 parallel commands on one assistant across two instances without a conflict', async () => {
    // a second instance on the same database and topics: the two race for the one timelog stream
    const second = await startService('time-tracking', { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: tt.env.VAOPS_TOPIC_PREFIX, MONGO_URL: tt.env.MONGO_URL });
    try {
      await setTestClock(second, admin, '2026-03-20T12:00:00Z');
      const a = await newAssistant();
      const [e1, e2] = [await newEngagement(await newClient(), a), await newEngagement(await newClient(), a)];
      await waitUntil(async () => (await request(second.url).get(`/time-entries?engagementId=${e2}`).set(bearer(admin))).status === 200, { timeoutMs: 30_000, what: 'the second instance to learn the engagement' });
      // last week's (W11) time of both engagements, submitted, so that approvals run beside this week's new entries
      for (const [i, e] of [e1, e2].entries()) {
        await post('/time-entries', entry(e, `2026-03-09T0${i + 1}:00:00Z`, `2026-03-09T0${i + 1}:30:00Z`), asAssistant(a));
        await post(`/timesheets/${e}/2026-W11/submit`, {}, asAssistant(a), 200);
      }
      const calls = [
        ...Array.from({ length: 16 }, (_, i) => ({ path: '/time-entries', body: entry(i % 2 ? e1 : e2, `2026-03-1${6 + (i % 4)}T${String(8 + Math.floor(i / 4) * 2).padStart(2, '0')}:00:00Z`, `2026-03-1${6 + (i % 4)}T${String(9 + Math.floor(i / 4) * 2).padStart(2, '0')}:00:00Z`), token: asAssistant(a), status: 201 })),
        { path: `/timesheets/${e1}/2026-W11/approve`, body: {}, token: admin, status: 200 },
        { path: `/timesheets/${e2}/2026-W11/approve`, body: {}, token: admin, status: 200 },
        { path: '/timers/start', body: { engagementId: e1, category: 'supplies' }, token: asAssistant(a), status: 201 },
        { path: '/time-entries', body: entry(e2, '2026-03-19T18:00:00Z', '2026-03-19T19:00:00Z'), token: asAssistant(a), status: 201 },
      ];
      const burst = async (list: typeof calls) => {
        const results = await Promise.all(list.map((c, i) => request(i % 2 ? second.url : tt.url).post(c.path).set(bearer(c.token)).send(c.body)));
        expect(results.map((r) => `${r.status} ${r.body.code ?? ''}`.trim())).toEqual(list.map((c) => String(c.status)));
        position = Math.max(position, ...results.map((r) => r.body.position ?? 0));
      };
      const metrics = async (url: string) => (await request(url).get('/metrics')).text;
      const retried = async () => {
        const count = (text: string) => Number(/vaops_command_retries_total\{[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
        return count(await metrics(tt.url)) + count(await metrics(second.url));
      };
      await burst(calls);
      // The two instances must have raced (else this proves nothing): when they happened not to, more
      // bursts of 20 entries on the same assistant (the weekend of W10), each again without a 409.
      let extra = 0;
      for (const day of ['07', '08']) {
        if ((await retried()) > 0) break;
        await burst(Array.from({ length: 20 }, (_, i) => ({ path: '/time-entries', body: entry(i % 2 ? e1 : e2, `2026-03-${day}T${String(i).padStart(2, '0')}:00:00Z`, `2026-03-${day}T${String(i).padStart(2, '0')}:30:00Z`), token: asAssistant(a), status: 201 })));
        extra += 20;
      }
      expect(await retried()).toBeGreaterThan(0);
      const items = (await get(`/time-entries?from=2026-03-02T00:00:00Z&to=2026-03-20T00:00:00Z`, asAssistant(a))).body.items as { status: string }[];
      expect(items).toHaveLength(19 + extra);
      expect(items.filter((x) => x.status === 'approved')).toHaveLength(2);
    } finally {
      await second.stop();
    }
  });

  it('has idempotent projections: every event this suite produced, applied twice, changes nothing the second time', async () => {
    const { first, second, events, undecodable } = await replayTwice(timeTrackingProjections(tt.env.VAOPS_TOPIC_PREFIX));
    expect(events).toBeGreaterThan(30);
    expect(undecodable).toBe(0); // every event this service produced matches its contract
    expect(second).toEqual(first);
  });
});
