import request from 'supertest';
import { newId } from '@vaops/event-sourcing';
import { MongoEventStore, connectMongo } from '@vaops/mongo';
import { bearer, dieInFlight, replayTwice, SEED, setTestClock, startService, testMetadata, tokenFor, usd, waitUntil, type RunningService } from '@vaops/testing';
import { clientsProjections } from '@vaops/clients-service/src/projections';

/**
 * Engagements over HTTP against the running clients service (real Kafka and FerretDB), with the test
 * clock: every rule of the clients service and every role.
 */
describe('engagements over HTTP', () => {
  let svc: RunningService;
  const agency = 'agency-e';
  const adminClaims = { sub: 'ops-1', agencyId: agency, role: 'agency-admin' } as const;
  const admin = tokenFor(adminClaims);
  const hourly = { type: 'hourly', rate: usd(4000) };

  let position = 0;
  const track = <T extends { body: { position?: number } }>(r: T): T => {
    if (typeof r.body.position === 'number') position = Math.max(position, r.body.position);
    return r;
  };
  const post = async (path: string, body: object, token = admin, status = 201) => track(await request(svc.url).post(path).set(bearer(token)).send(body).expect(status));
  const get = async (path: string, token = admin, status = 200) =>
    request(svc.url).get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position || 1}`).set(bearer(token)).expect(status);
  const setClock = (now: string) => setTestClock(svc, admin, now);

  const newClient = async (currency = 'USD') => (await post('/clients', { name: 'Client', email: 'c@x.co', timezone: 'America/New_York', currency })).body.id as string;
  const newAssistant = async (weeklyCapacityHours = 30) =>
    (await post('/assistants', { name: 'VA', email: 'va@x.co', timezone: 'Asia/Manila', weeklyCapacityHours, skills: [], payRate: usd(1200) })).body.id as string;
  // SEED's engagement (hourly at 40.00, 14 days' notice, from Monday 2026-03-02), 10 hours a week
  const engagement = (clientId: string, assistantId: string, over: object = {}) => ({ clientId, assistantId, ...SEED.engagement, weeklyHours: 10, ...over });

  beforeAll(async () => {
    svc = await startService('clients', { VAOPS_TEST_CLOCK: '1', VAOPS_SCHEDULER_INTERVAL_MS: '200' });
    await setClock('2026-03-02T12:00:00Z'); // a Monday
  });
  afterAll(async () => {
    await svc?.stop();
  });

  describe('capacity across clients', () => {
    it('counts committed hours against capacity, refuses going over, and accepts an override with a reason', async () => {
      const [c1, c2, c3] = [await newClient(), await newClient(), await newClient()];
      const a = await newAssistant(30);
      const first = await post('/engagements', engagement(c1, a, { weeklyHours: 20 }));
      expect(first.headers.location).toBe(`/engagements/${first.body.id}`);
      const over = await post('/engagements', engagement(c2, a, { weeklyHours: 11 }), admin, 409);
      expect(over.body.code).toBe('ASSISTANT.CAPACITY_EXCEEDED');
      await post('/engagements', engagement(c2, a, { weeklyHours: 10 }));
      await post('/engagements', engagement(c3, a, { weeklyHours: 5, capacityOverrideReason: 'busy season, agreed with the VA' }));
      const roster = await get(`/assistants/${a}`);
      expect(roster.body).toMatchObject({ committedWeeklyHours: 35, weeklyCapacityHours: 30, activeClients: 3 });
    });

    it('lets only as many of 5 simultaneous engagements for one assistant through as fit', async () => {
      const a = await newAssistant(10);
      const clients = await Promise.all([1, 2, 3, 4, 5].map(() => newClient()));
      const results = await Promise.all(clients.map((c) => request(svc.url).post('/engagements').set(bearer(admin)).send(engagement(c, a, { weeklyHours: 4 }))));
      results.forEach(track);
      expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('ASSISTANT.CAPACITY_EXCEEDED');
      const roster = await get(`/assistants/${a}`);
      expect(roster.body.committedWeeklyHours).toBe(8);
      const list = await get(`/engagements?assistantId=${a}`);
      expect(list.body.items).toHaveLength(2);
    });
  });

  it('rolls forward a creation that died between reserving the hours and starting the engagement', async () => {
    const c = await newClient();
    const a = await newAssistant(30);
    await get(`/assistants/${a}`);
    // What a crash after the first append leaves behind: the reservation, and no engagement stream.
    const conn = await connectMongo(svc.env.MONGO_URL, new URL(svc.env.MONGO_URL).pathname.slice(1));
    try {
      const store = new MongoEventStore(conn.db!);
      const engagementId = newId();
      const start = { engagementId, clientId: c, assistantId: a, kind: 'part-time' as const, weeklyHours: 6, startsOn: '2026-03-02', noticePeriodDays: 14, phase: null, plan: hourly };
      const { version } = await store.readStream(`assistant-${a}`);
      await store.appendToStream(`assistant-${a}`, version, [
        { type: 'AssistantCommitmentReserved', data: { assistantId: a, engagementId, clientId: c, kind: 'part-time', weeklyHours: 6, capacityOverride: null, start } },
      ], testMetadata({ agencyId: agency }));
      const rolled = await waitUntil(async () => {
        const r = await request(svc.url).get(`/engagements/${engagementId}`).set(bearer(admin));
        return r.status === 200 ? r.body : undefined;
      }, { what: 'the scheduler to start the engagement from its reservation' });
      expect(rolled).toMatchObject({ id: engagementId, status: 'active', weeklyHours: 6, plan: hourly });
      expect(rolled.history[0].actor).toEqual({ sub: 'system:engagement-scheduler', role: 'system' });
    } finally {
      await conn.close();
    }
  });

  describe('full-time is exclusive both ways', () => {
    it('refuses a full-time engagement to an assistant holding others, and any engagement to one holding a full-time one', async () => {
      const [c1, c2] = [await newClient(), await newClient()];
      const busy = await newAssistant(40);
      await post('/engagements', engagement(c1, busy));
      expect((await post('/engagements', engagement(c2, busy, { kind: 'full-time', weeklyHours: 20 }), admin, 409)).body.code).toBe('ENGAGEMENT.FULL_TIME_NOT_EXCLUSIVE');
      const exclusive = await newAssistant(40);
      await post('/engagements', engagement(c1, exclusive, { kind: 'full-time', weeklyHours: 40 }));
      expect((await post('/engagements', engagement(c2, exclusive, { weeklyHours: 1, capacityOverrideReason: 'just one hour' }), admin, 409)).body.code).toBe('ASSISTANT.FULL_TIME_ENGAGED');
    });

    it('lets one of two simultaneous full-time engagements for one assistant through', async () => {
      const a = await newAssistant(40);
      const [c1, c2] = [await newClient(), await newClient()];
      const results = await Promise.all([c1, c2].map((c) => request(svc.url).post('/engagements').set(bearer(admin)).send(engagement(c, a, { kind: 'full-time', weeklyHours: 40 }))));
      results.forEach(track);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    });
  });

  describe('plans', () => {
    it("refuses a plan in another currency than the client's, reserving nothing", async () => {
      const c = await newClient('USD');
      const a = await newAssistant(30);
      const r = await post('/engagements', engagement(c, a, { plan: { type: 'hourly', rate: { amountMinor: 4000, currency: 'EUR' } } }), admin, 409);
      expect(r.body.code).toBe('ENGAGEMENT.CURRENCY_MISMATCH');
      expect((await get(`/assistants/${a}`)).body.committedWeeklyHours).toBe(0);
    });

    it('validates the plan shape, naming the field', async () => {
      const c = await newClient();
      const a = await newAssistant();
      const r = await post('/engagements', engagement(c, a, { plan: { ...hourly, monthlyFee: usd(1) } }), admin, 400);
      expect(r.body.errors).toEqual([{ field: 'plan.monthlyFee', message: 'is not part of an hourly plan' }]);
      const r2 = await post('/engagements', engagement(c, a, { plan: { type: 'retainer', monthlyFee: usd(100000), includedHours: 20, overageRate: usd(5000) } }), admin, 400);
      expect(r2.body.errors.map((e: { field: string }) => e.field)).toEqual(['plan.rollover']);
      await post('/engagements', engagement(c, a, { startsOn: '2026-02-30' }), admin, 400);
    });

    it('changes a plan from a date on, never in the past, keeping the earlier plan for earlier days', async () => {
      const c = await newClient();
      const a = await newAssistant();
      const id = (await post('/engagements', engagement(c, a))).body.id;
      const retainer = { type: 'retainer', monthlyFee: usd(200000), includedHours: 40, overageRate: usd(5500), rollover: true };
      expect((await post(`/engagements/${id}/plan`, { plan: retainer, effectiveOn: '2026-03-01' }, admin, 409)).body.code).toBe('ENGAGEMENT.PLAN_RETROACTIVE');
      await post(`/engagements/${id}/plan`, { plan: retainer, effectiveOn: '2026-04-01' }, admin, 200);
      const view = await get(`/engagements/${id}`);
      expect(view.body.plans).toEqual([{ plan: hourly, effectiveOn: '2026-03-02' }, { plan: retainer, effectiveOn: '2026-04-01' }]);
      expect(view.body.plan).toEqual(hourly); // still March on the test clock
    });

    it('answers 404 for an unknown or foreign client or assistant', async () => {
      const a = await newAssistant();
      const c = await newClient();
      expect((await post('/engagements', engagement('01a20a97-9599-7671-9a90-1dd255903e6c', a), admin, 404)).body.code).toBe('CLIENT.NOT_FOUND');
      const other = tokenFor({ sub: 'x', agencyId: 'agency-other', role: 'agency-admin' });
      await post('/engagements', engagement(c, a), other, 404);
    });
  });

  describe('trust phases', () => {
    it('records promotions and demotions with who decided and why, naming skipped phases', async () => {
      const c = await newClient();
      const a = await newAssistant();
      const id = (await post('/engagements', engagement(c, a))).body.id;
      const client = tokenFor({ sub: 'exec-1', agencyId: agency, role: 'client', clientId: c });
      await post(`/engagements/${id}/phase`, { phase: 3, reason: 'runs my calendar now' }, client, 200);
      const view = await get(`/engagements/${id}`, client);
      expect(view.body.phase).toBe(3);
      expect(view.body.phaseHistory.map((p: { phase: number }) => p.phase)).toEqual([1, 3]);
      const change = view.body.history.find((h: { type: string }) => h.type === 'EngagementPhaseChanged');
      expect(change).toMatchObject({ actor: { sub: 'exec-1', role: 'client' }, data: { from: 1, to: 3, skipped: [2], reason: 'runs my calendar now' } });
      expect((await post(`/engagements/${id}/phase`, { phase: 3, reason: 'again' }, admin, 409)).body.code).toBe('ENGAGEMENT.PHASE_UNCHANGED');
      const va = tokenFor({ sub: 'va', agencyId: agency, role: 'assistant', assistantId: a });
      expect((await post(`/engagements/${id}/phase`, { phase: 1, reason: 'demote myself' }, va, 403)).body.code).toBe('AUTH.FORBIDDEN');
      await post(`/engagements/${id}/phase`, { reason: 'no phase' }, admin, 400);
    });

    it('lists the duty catalog with the lowest phase of each category', async () => {
      const r = await get('/duty-categories');
      expect(r.body.items).toContainEqual(expect.objectContaining({ id: 'decisions', minPhase: 3 }));
      expect(r.body.items).toHaveLength(14);
    });
  });

  describe('no disappearing: notice and breach', () => {
    it('ends an engagement on its own once the notice period has run (test clock), releasing the hours', async () => {
      await setClock('2026-03-02T12:00:00Z');
      const c = await newClient();
      const a = await newAssistant(30);
      const id = (await post('/engagements', engagement(c, a, { weeklyHours: 12 }))).body.id;
      const va = tokenFor({ sub: 'va', agencyId: agency, role: 'assistant', assistantId: a });
      expect((await post(`/engagements/${id}/notice`, { by: 'client', reason: 'not me' }, va, 403)).body.code).toBe('AUTH.FORBIDDEN');
      await post(`/engagements/${id}/notice`, { by: 'assistant', reason: 'moving to full-time work' }, va, 200);
      const inNotice = await get(`/engagements/${id}`, va);
      expect(inNotice.body).toMatchObject({ status: 'in-notice', endsOn: '2026-03-16', notice: { by: 'assistant', reason: 'moving to full-time work' } });
      expect((await post(`/engagements/${id}/notice`, { by: 'assistant', reason: 'again' }, va, 409)).body.code).toBe('ENGAGEMENT.ALREADY_IN_NOTICE');

      await setClock('2026-03-15T23:00:00Z'); // the day before: still in notice
      await new Promise((r) => setTimeout(r, 800)); // several scheduler ticks
      expect((await request(svc.url).get(`/engagements/${id}`).set(bearer(admin))).body.status).toBe('in-notice');

      await setClock('2026-03-16T00:30:00Z');
      const ended = await waitUntil(async () => {
        const r = await request(svc.url).get(`/engagements/${id}`).set(bearer(admin));
        return r.body.status === 'ended' ? r.body : undefined;
      }, { what: 'the engagement to end after its notice' });
      expect(ended).toMatchObject({ endedBy: 'notice', endedOn: '2026-03-16' });
      expect(ended.history.at(-1)).toMatchObject({ type: 'EngagementEnded', actor: { sub: 'system:engagement-scheduler', role: 'system' } });
      await waitUntil(async () => (await request(svc.url).get(`/assistants/${a}`).set(bearer(admin))).body.committedWeeklyHours === 0, { what: 'the hours to be released' });
      await setClock('2026-03-02T12:00:00Z');
    });

    it('ends at once only as a breach recorded by the agency', async () => {
      const c = await newClient();
      const a = await newAssistant();
      const id = (await post('/engagements', engagement(c, a))).body.id;
      const client = tokenFor({ sub: 'exec', agencyId: agency, role: 'client', clientId: c });
      expect((await post(`/engagements/${id}/breach`, { by: 'assistant', reason: 'vanished' }, client, 403)).body.code).toBe('AUTH.FORBIDDEN');
      await post(`/engagements/${id}/breach`, { by: 'assistant', reason: 'unreachable for two weeks' }, admin, 200);
      const view = await get(`/engagements/${id}`);
      expect(view.body).toMatchObject({ status: 'ended', endedBy: 'breach', endedOn: '2026-03-02' });
      expect((await post(`/engagements/${id}/notice`, { by: 'client', reason: 'late' }, client, 409)).body.code).toBe('ENGAGEMENT.ENDED');
      expect((await get(`/assistants/${a}`)).body.committedWeeklyHours).toBe(0);
    });

    it('decides a POST /engagements whose process died before storing its answer again with the same id, reserving nothing again', async () => {
      const c = await newClient();
      const a = await newAssistant();
      const key = `start-${newId()}`;
      const start = () => request(svc.url).post('/engagements').set(bearer(admin)).set('Idempotency-Key', key).send(engagement(c, a));
      const first = track(await start().expect(201));
      // ended (its hours released) before the retry comes back
      await post(`/engagements/${first.body.id}/breach`, { by: 'assistant', reason: 'unreachable' }, admin, 200);
      await dieInFlight(svc, adminClaims, key);
      const retry = await start().expect(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect(retry.body.id).toBe(first.body.id);
      expect(retry.headers.location).toBe(first.headers.location);
      expect((await get(`/engagements?assistantId=${a}`)).body.items.map((e: { id: string; status: string }) => [e.id, e.status])).toEqual([[first.body.id, 'ended']]);
      const conn = await connectMongo(svc.env.MONGO_URL, new URL(svc.env.MONGO_URL).pathname.slice(1));
      try {
        const { events } = await new MongoEventStore(conn.db!).readStream(`assistant-${a}`);
        expect(events.map((e) => e.type)).toEqual(['AssistantRegistered', 'AssistantCommitmentReserved', 'AssistantCommitmentReleased']);
      } finally {
        await conn.close();
      }
    });

    it('refuses a stale If-Match with 409 CONCURRENCY.CONFLICT', async () => {
      const c = await newClient();
      const a = await newAssistant();
      const id = (await post('/engagements', engagement(c, a))).body.id;
      const r = await request(svc.url).post(`/engagements/${id}/phase`).set(bearer(admin)).set('If-Match', '"7"').send({ phase: 2, reason: 'trusted' }).expect(409);
      expect(r.body.code).toBe('CONCURRENCY.CONFLICT');
      track(await request(svc.url).post(`/engagements/${id}/phase`).set(bearer(admin)).set('If-Match', '"1"').send({ phase: 2, reason: 'trusted' }).expect(200));
    });

    it('takes If-Match on every write of an engagement: stale is 409, malformed 400, none still works', async () => {
      const c = await newClient();
      const a = await newAssistant();
      const id = (await post('/engagements', engagement(c, a))).body.id;
      const write = (path: string, ifMatch: string | undefined, body: object) => {
        const r = path === 'review-cadence' ? request(svc.url).put(`/engagements/${id}/${path}`) : request(svc.url).post(`/engagements/${id}/${path}`);
        r.set(bearer(admin));
        if (ifMatch !== undefined) r.set('If-Match', ifMatch);
        return r.send(body);
      };
      const talk = { channel: 'call', occurredAt: '2026-03-02T10:00:00Z', summary: 'hello' };
      // the engagement is at version 1: "0" is stale
      const stale = await write('communications', '"0"', talk);
      expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 409, code: 'CONCURRENCY.CONFLICT' });
      expect((await write('communications', 'v1', talk)).status).toBe(400);
      const ok = await write('communications', '"1"', talk);
      expect(ok.status).toBe(201);
      expect(ok.headers.etag).toBe('"2"');
      expect((await write('review-cadence', '"1"', { everyDays: 14 })).status).toBe(409);
      expect((await write('review-cadence', '"2"', { everyDays: 14 })).status).toBe(200);
      expect((await write('communications', undefined, talk)).status).toBe(201); // without If-Match: decided on the latest
      track(await write('review-cadence', undefined, { everyDays: 7 }));
    });
  });

  describe('communication, reviews and silence', () => {
    it('raises EngagementWentSilent after 5 working days without contact, and shows overdue reviews', async () => {
      await setClock('2026-03-02T12:00:00Z');
      const c = await newClient();
      const a = await newAssistant();
      const id = (await post('/engagements', engagement(c, a))).body.id;
      const client = tokenFor({ sub: 'exec', agencyId: agency, role: 'client', clientId: c });
      await request(svc.url).put(`/engagements/${id}/review-cadence`).set(bearer(client)).send({ everyDays: 7 }).expect(200).then(track);
      await post(`/engagements/${id}/communications`, { channel: 'video', occurredAt: '2026-03-02T11:00:00Z', summary: 'kick-off' }, client);
      await setClock('2026-03-06T12:00:00Z'); // Friday: 4 working days after the kick-off, not silent yet
      await post(`/engagements/${id}/communications`, { channel: 'message', occurredAt: '2026-03-06T11:00:00Z', summary: 'status' }, client);
      await setClock('2026-03-12T12:00:00Z'); // Thursday: 4 working days since Friday the 6th
      await new Promise((r) => setTimeout(r, 800)); // several scheduler ticks
      expect((await get(`/engagements/${id}`)).body.silent).toBeNull();

      await setClock('2026-03-13T12:00:00Z'); // Friday: the 5th working day
      const silent = await waitUntil(async () => {
        const r = await request(svc.url).get(`/engagements/${id}`).set(bearer(admin));
        return r.body.silent ? r.body : undefined;
      }, { what: 'EngagementWentSilent' });
      expect(silent.silent).toEqual({ since: '2026-03-06T11:00:00.000Z' });
      await new Promise((r) => setTimeout(r, 800)); // more ticks raise no second alert for the same silence
      const again = await get(`/engagements/${id}`);
      expect(again.body.history.filter((h: { type: string }) => h.type === 'EngagementWentSilent')).toHaveLength(1);
      expect(again.body.history.find((h: { type: string }) => h.type === 'EngagementWentSilent').data).toMatchObject({ silentWorkingDays: 5, lastActivityAt: '2026-03-06T11:00:00.000Z' });
      // a message is not a review: the last review (the video kick-off) is more than 7 days old
      expect(again.body.review).toMatchObject({ everyDays: 7, lastReviewAt: '2026-03-02T11:00:00.000Z', overdue: true });

      await post(`/engagements/${id}/communications`, { channel: 'call', occurredAt: '2026-03-13T11:00:00Z', summary: 'long review call' }, client);
      const after = await get(`/engagements/${id}`);
      expect(after.body.silent).toBeNull();
      expect(after.body.review.overdue).toBe(false);
      await setClock('2026-03-02T12:00:00Z');
    });

    it('refuses a communication in the future and one from outside the engagement', async () => {
      const c = await newClient();
      const a = await newAssistant();
      const id = (await post('/engagements', engagement(c, a))).body.id;
      expect((await post(`/engagements/${id}/communications`, { channel: 'call', occurredAt: '2026-04-01T00:00:00Z', summary: 'x' }, admin, 400)).body.code).toBe('COMMUNICATION.IN_FUTURE');
      const stranger = tokenFor({ sub: 's', agencyId: agency, role: 'client', clientId: await newClient() });
      await post(`/engagements/${id}/communications`, { channel: 'call', occurredAt: '2026-03-01T00:00:00Z', summary: 'x' }, stranger, 404);
      await post(`/engagements/${id}/communications`, { channel: 'fax', occurredAt: '2026-03-01T00:00:00Z', summary: 'x' }, admin, 400);
    });
  });

  describe('what each role sees', () => {
    it('shows a client only its engagements with the plan, an assistant only theirs without it', async () => {
      const [c1, c2] = [await newClient(), await newClient()];
      const a = await newAssistant(40);
      const e1 = (await post('/engagements', engagement(c1, a))).body.id;
      const e2 = (await post('/engagements', engagement(c2, a))).body.id;
      const client1 = tokenFor({ sub: 'c1', agencyId: agency, role: 'client', clientId: c1 });
      const va = tokenFor({ sub: 'va', agencyId: agency, role: 'assistant', assistantId: a });

      const mine = await get('/engagements', client1);
      expect(mine.body.items.map((e: { id: string }) => e.id)).toEqual([e1]);
      expect(mine.body.items[0].plan).toEqual(hourly);
      expect(JSON.stringify(mine.body)).not.toContain('payRate');
      await get(`/engagements/${e2}`, client1, 404);
      expect((await get(`/engagements?clientId=${c2}`, client1)).body.items).toEqual([]);

      const theirs = await get('/engagements', va);
      expect(theirs.body.items.map((e: { id: string }) => e.id).sort()).toEqual([e1, e2].sort());
      for (const e of theirs.body.items) {
        expect(e.plan).toBeUndefined();
        expect(e.plans).toBeUndefined();
        expect(JSON.stringify(e)).not.toContain('"rate"');
      }
      // an assistant sees the clients they work for, and no others
      const seen = await get('/clients', va);
      expect(seen.body.items.map((x: { id: string }) => x.id).sort()).toEqual([c1, c2].sort());
      await get(`/clients/${c1}`, va);
      await get(`/clients/${await newClient()}`, va, 404);
      // a client sees the assistant working for it, without pay rate or other clients
      const theirVa = await get(`/assistants/${a}`, client1);
      expect(theirVa.body.payRate).toBeUndefined();
      expect(theirVa.body.activeClients).toBeUndefined();
      await get(`/assistants/${await newAssistant()}`, client1, 404);

      const other = tokenFor({ sub: 'x', agencyId: 'agency-other', role: 'agency-admin' });
      await get(`/engagements/${e1}`, other, 404);
      expect((await get('/engagements', other)).body.items).toEqual([]);
    });
  });

  describe('agency settings', () => {
    it('has defaults, takes changes from the agency only, and answers them back', async () => {
      const settings = { timezone: 'America/New_York', minimumNoticeHours: 12, bufferMinutes: 10, roundingMinutes: 15, roundingMode: 'up', silenceWorkingDays: 3 };
      const fresh = tokenFor({ sub: 'n', agencyId: 'agency-new', role: 'agency-admin' });
      expect((await request(svc.url).get('/agency/settings').set(bearer(fresh)).expect(200)).body).toEqual({
        timezone: 'UTC', minimumNoticeHours: 24, bufferMinutes: 0, roundingMinutes: 0, roundingMode: 'nearest', silenceWorkingDays: 5,
      });
      const client = tokenFor({ sub: 'c', agencyId: 'agency-new', role: 'client', clientId: 'c' });
      await request(svc.url).put('/agency/settings').set(bearer(client)).send(settings).expect(403);
      await request(svc.url).put('/agency/settings').set(bearer(fresh)).send({ ...settings, roundingMinutes: 10 }).expect(400);
      // If-Match: a fresh agency's settings are at version 0
      expect((await request(svc.url).put('/agency/settings').set(bearer(fresh)).set('If-Match', '"3"').send(settings).expect(409)).body.code).toBe('CONCURRENCY.CONFLICT');
      const put = await request(svc.url).put('/agency/settings').set(bearer(fresh)).set('If-Match', '"0"').send(settings).expect(200);
      expect(put.headers.etag).toBe('"1"');
      await request(svc.url).put('/agency/settings').set(bearer(fresh)).set('If-Match', '"0"').send(settings).expect(409);
      await request(svc.url).put('/agency/settings').set(bearer(fresh)).send(settings).expect(200);
      expect((await request(svc.url).get('/agency/settings').set(bearer(client)).expect(200)).body).toEqual(settings);
    });

    it("shows the plan in force on the agency's day, the day a plan change is decided against, not UTC's", async () => {
      const manila = tokenFor({ sub: 'ops-m', agencyId: 'agency-e-manila', role: 'agency-admin' });
      await request(svc.url).put('/agency/settings').set(bearer(manila)).send({ timezone: 'Asia/Manila', minimumNoticeHours: 24, bufferMinutes: 0, roundingMinutes: 0, roundingMode: 'up', silenceWorkingDays: 5 }).expect(200);
      const c = (await post('/clients', { name: 'Client', email: 'c@x.co', timezone: 'America/New_York', currency: 'USD' }, manila)).body.id as string;
      const a = (await post('/assistants', { name: 'VA', email: 'va@x.co', timezone: 'Asia/Manila', weeklyCapacityHours: 30, skills: [], payRate: usd(1200) }, manila)).body.id as string;
      const id = (await post('/engagements', engagement(c, a), manila)).body.id as string;
      const retainer = { type: 'retainer', monthlyFee: usd(200000), includedHours: 40, overageRate: usd(5500), rollover: false };
      try {
        // 10:00 UTC on 31 March is 18:00 in Manila: April's plan is decided, the March one still in force
        await setClock('2026-03-31T10:00:00Z');
        await post(`/engagements/${id}/plan`, { plan: retainer, effectiveOn: '2026-04-01' }, manila, 200);
        expect((await get(`/engagements/${id}`, manila)).body.plan).toEqual(hourly);
        // 20:00 UTC, still 31 March in UTC, is 04:00 on 1 April in Manila: April's plan is in force there
        await setClock('2026-03-31T20:00:00Z');
        expect((await get(`/engagements/${id}`, manila)).body.plan).toEqual(retainer);
        expect((await get(`/engagements?clientId=${c}`, manila)).body.items.map((e: { plan: unknown }) => e.plan)).toEqual([retainer]);
        // and as the engagement stood at an instant: the agency's day of that instant
        const asOf = async (at: string) => (await request(svc.url).get(`/engagements/${id}?asOf=${at}`).set(bearer(manila)).expect(200)).body.plan;
        expect({ before: await asOf('2026-03-31T15:30:00Z'), after: await asOf('2026-03-31T16:30:00Z') }).toEqual({ before: hourly, after: retainer });
      } finally {
        await setClock('2026-03-02T12:00:00Z');
      }
    });
  });

  it('has idempotent projections: every event this suite produced, applied twice, changes nothing the second time', async () => {
    const { first, second, events, undecodable } = await replayTwice(clientsProjections(svc.env.VAOPS_TOPIC_PREFIX));
    expect(events).toBeGreaterThan(100);
    expect(undecodable).toBe(0); // every event this service produced matches its contract
    expect(second).toEqual(first);
  });
});
