import request from 'supertest';
import { agencyRoles, bearer, createIn, describeInputHardening, dieInFlight, expectSilenceAfterFiveWorkingDays, replayTwice, SEED, setTestClock, suiteServices, untilSchedulingKnows, waitUntil } from '@vaops/testing';
import { schedulingProjections } from '@vaops/scheduling-service/src/projections';

/**
 * The scheduling service over HTTP against the real servers, fed by a running clients service on the
 * same topic prefix: every rule and role, with both services on test clocks.
 */
describe('scheduling over HTTP', () => {
  const [clients, scheduling] = suiteServices(['clients', 'scheduling'], { VAOPS_TEST_CLOCK: '1' }, { scheduling: { VAOPS_SCHEDULER_INTERVAL_MS: '200' } });
  const agency = 'agency-s';
  const { admin, adminClaims, adminOf, asClient, asAssistant } = agencyRoles(agency);

  let position = 0;
  const sched = {
    post: async (path: string, body: object, token = admin, status = 201) => {
      const r = await request(scheduling.url).post(path).set(bearer(token)).send(body);
      if (r.status !== status) throw new Error(`POST ${path} answered ${r.status}, expected ${status}: ${JSON.stringify(r.body)}`);
      if (typeof r.body.position === 'number') position = Math.max(position, r.body.position);
      return r;
    },
    get: async (path: string, token = admin, status = 200) => {
      const r = await request(scheduling.url).get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position || 1}`).set(bearer(token));
      if (r.status !== status) throw new Error(`GET ${path} answered ${r.status}, expected ${status}: ${JSON.stringify(r.body)}`);
      return r;
    },
  };
  const cl = async (path: string, body: object, token = admin) => (await request(clients.url).post(path).set(bearer(token)).send(body).expect((r) => expect(r.status).toBeLessThan(300))).body;
  const setClock = (now: string) => setTestClock(scheduling, admin, now);

  const newClient = (timezone = 'America/New_York', token = admin) => createIn(clients, token, '/clients', { ...SEED.client, timezone });
  const newAssistant = (timezone = 'Europe/London', token = admin, over: object = {}) => createIn(clients, token, '/assistants', { ...SEED.assistant, timezone, ...over });
  /** Starts an engagement in the clients service and waits until scheduling knows it. */
  const newEngagement = async (clientId: string, assistantId: string, token = admin) => {
    const engagementId = await createIn(clients, token, '/engagements', { clientId, assistantId, ...SEED.engagement });
    await untilSchedulingKnows(scheduling, token, { engagementId, clientId, assistantId });
    return engagementId;
  };
  const appointment = (engagementId: string, startsAt: string, endsAt: string, over: object = {}) => ({ engagementId, kind: 'check-in', startsAt, endsAt, ...over });

  beforeAll(async () => {
    await setTestClock(clients, admin, '2026-03-02T12:00:00Z');
  }, 120_000);

  describeInputHardening(() => scheduling.url, '/appointments', () => adminOf(agency));

  describe('booking', () => {
    it('books inside an engagement for the agency, the assistant or the client, and shows it only to them', async () => {
      await setClock('2026-03-02T00:00:00Z');
      const [c1, c2, a] = [await newClient(), await newClient(), await newAssistant()];
      const [e1, e2] = [await newEngagement(c1, a), await newEngagement(c2, a)];
      const booked = await sched.post('/appointments', appointment(e1, '2026-03-10T14:00:00Z', '2026-03-10T14:30:00Z', { title: 'Secret merger call' }), asClient(c1));
      expect(booked.headers.location).toBe(`/appointments/${booked.body.id}`);
      const view = await sched.get(`/appointments/${booked.body.id}`, asClient(c1));
      expect(view.body).toMatchObject({ id: booked.body.id, engagementId: e1, kind: 'check-in', startsAt: '2026-03-10T14:00:00.000Z', endsAt: '2026-03-10T14:30:00.000Z', status: 'booked', late: false, version: 1 });
      expect(view.headers.etag).toBe('"1"');
      await sched.get(`/appointments/${booked.body.id}`, asAssistant(a));
      await sched.get(`/appointments/${booked.body.id}`, asClient(c2), 404);
      await sched.get(`/appointments/${booked.body.id}`, adminOf('agency-other'), 404);

      // another client of the same assistant: refused, learning nothing about the other appointment
      const refused = await sched.post('/appointments', appointment(e2, '2026-03-10T14:15:00Z', '2026-03-10T15:00:00Z'), asClient(c2), 409);
      expect(refused.body.code).toBe('APPOINTMENT.CONFLICT');
      const text = JSON.stringify(refused.body);
      for (const secret of [booked.body.id, c1, e1, 'Secret']) expect(text).not.toContain(secret);
      await sched.post('/appointments', appointment(e2, '2026-03-10T14:30:00Z', '2026-03-10T15:00:00Z', { kind: 'video-conference' }), asAssistant(a));

      await sched.post('/appointments', appointment(e2, '2026-03-11T10:00:00Z', '2026-03-11T10:30:00Z'), asClient(c1), 404);
      await sched.post('/appointments', appointment(e1, '2026-03-11T10:00:00Z', '2026-03-11T10:30:00Z'), asAssistant(await newAssistant()), 404);
      expect((await sched.post('/appointments', appointment('0190a0a0-0000-7000-8000-000000000000', '2026-03-11T10:00:00Z', '2026-03-11T10:30:00Z'), admin, 404)).body.code).toBe('ENGAGEMENT.NOT_FOUND');
      await sched.post('/appointments', appointment(e1, '2026-03-11T10:00:00Z', '2026-03-11T10:30:00Z', { agencyId: 'x' }), admin, 400);
      await sched.post('/appointments', appointment(e1, '2026-03-11T10:00:00', '2026-03-11T10:30:00Z'), admin, 400);
      await sched.post('/appointments', appointment(e1, '2026-03-11T10:00:00Z', '2026-03-11T10:30:00Z', { kind: 'party' }), admin, 400);
      expect((await sched.post('/appointments', appointment(e1, '2026-03-01T10:00:00Z', '2026-03-01T10:30:00Z'), admin, 409)).body.code).toBe('APPOINTMENT.IN_PAST');
    });

    it('lets exactly one of 5 simultaneous overlapping bookings for one assistant through', async () => {
      await setClock('2026-03-02T00:00:00Z');
      const a = await newAssistant();
      const cs = await Promise.all([1, 2, 3, 4, 5].map(() => newClient()));
      const es: string[] = [];
      for (const c of cs) es.push(await newEngagement(c, a));
      const results = await Promise.all(
        es.map((e, i) => request(scheduling.url).post('/appointments').set(bearer(asClient(cs[i]))).send(appointment(e, `2026-03-12T10:${String(i * 5).padStart(2, '0')}:00Z`, '2026-03-12T11:00:00Z'))),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('APPOINTMENT.CONFLICT');
      position = Math.max(position, ...results.map((r) => r.body.position ?? 0));
      const day = await sched.get(`/agenda?date=2026-03-12&assistantId=${a}`);
      expect(day.body.items).toHaveLength(1);
    });

    it("refuses outside the assistant's working hours unless the agency allows it for the engagement", async () => {
      await setClock('2026-03-02T00:00:00Z');
      const [c, a] = [await newClient(), await newAssistant('Asia/Manila')];
      const e = await newEngagement(c, a);
      // 09:00 New York is 22:00 in Manila
      const slot = appointment(e, '2026-03-04T14:00:00Z', '2026-03-04T14:30:00Z');
      expect((await sched.post('/appointments', slot, admin, 409)).body.code).toBe('APPOINTMENT.OUTSIDE_WORKING_HOURS');
      await request(scheduling.url).put(`/engagements/${e}/scheduling-policy`).set(bearer(asAssistant(a))).send({ allowOutsideWorkingHours: true }).expect(403);
      // If-Match names the policy's version: 0 before its first change; a stale one is 409
      await request(scheduling.url).put(`/engagements/${e}/scheduling-policy`).set(bearer(admin)).set('If-Match', '"4"').send({ allowOutsideWorkingHours: true }).expect(409);
      const set = await request(scheduling.url).put(`/engagements/${e}/scheduling-policy`).set(bearer(admin)).set('If-Match', '"0"').send({ allowOutsideWorkingHours: true }).expect(200);
      expect(set.headers.etag).toBe('"1"');
      await sched.post('/appointments', slot);
    });
  });

  describe('keeping appointments', () => {
    it('records reschedules and cancellations in time or late, kept and no-show, in the reliability record', async () => {
      await setClock('2026-03-02T00:00:00Z');
      const [c, other, a] = [await newClient(), await newClient(), await newAssistant()];
      const [e] = [await newEngagement(c, a), await newEngagement(other, a)];
      const x = (await sched.post('/appointments', appointment(e, '2026-03-10T10:00:00Z', '2026-03-10T10:30:00Z'))).body.id;
      const y = (await sched.post('/appointments', appointment(e, '2026-03-03T10:00:00Z', '2026-03-03T10:30:00Z'))).body.id;
      const z = (await sched.post('/appointments', appointment(e, '2026-03-04T10:00:00Z', '2026-03-04T10:30:00Z'))).body.id;
      const w = (await sched.post('/appointments', appointment(e, '2026-03-04T11:00:00Z', '2026-03-04T11:30:00Z'))).body.id;
      const moved = await sched.post(`/appointments/${x}/reschedule`, { startsAt: '2026-03-10T11:00:00Z', endsAt: '2026-03-10T11:30:00Z', reason: 'clash' }, asAssistant(a), 200);
      expect(moved.body.version).toBe(2);
      expect((await sched.get(`/appointments/${x}`)).body).toMatchObject({ startsAt: '2026-03-10T11:00:00.000Z', late: false, version: 2 });
      await request(scheduling.url).post(`/appointments/${x}/cancel`).set(bearer(admin)).set('If-Match', '"1"').send({ reason: 'stale' }).expect(409);

      await setClock('2026-03-02T12:00:00Z'); // 22 h before y: late
      await sched.post(`/appointments/${y}/cancel`, { reason: 'sick' }, asClient(c), 200);
      expect((await sched.get(`/appointments/${y}`)).body).toMatchObject({ status: 'cancelled', late: true });
      expect((await sched.post(`/appointments/${z}/kept`, {}, asAssistant(a), 409)).body.code).toBe('APPOINTMENT.NOT_STARTED');
      await setClock('2026-03-04T09:30:00Z'); // 30 min before z: a late reschedule
      await sched.post(`/appointments/${z}/reschedule`, { startsAt: '2026-03-04T12:00:00Z', endsAt: '2026-03-04T12:30:00Z', reason: 'late start' }, asAssistant(a), 200);

      await setClock('2026-03-04T12:10:00Z');
      // If-Match names the appointment's version (booked 1, rescheduled 2): a stale one is 409
      const staleKept = await request(scheduling.url).post(`/appointments/${z}/kept`).set(bearer(asAssistant(a))).set('If-Match', '"1"');
      expect({ status: staleKept.status, code: staleKept.body.code }).toEqual({ status: 409, code: 'CONCURRENCY.CONFLICT' });
      const kept = await request(scheduling.url).post(`/appointments/${z}/kept`).set(bearer(asAssistant(a))).set('If-Match', '"2"').expect(200);
      position = Math.max(position, kept.body.position);
      await waitUntil(async () => (await sched.get(`/appointments/${w}`)).body.status === 'no-show', { what: 'the no-show' });
      expect((await sched.post(`/appointments/${w}/cancel`, { reason: 'too late' }, admin, 409)).body.code).toBe('APPOINTMENT.NOT_BOOKED');

      expect((await sched.get(`/assistants/${a}/reliability`)).body).toEqual({ kept: 1, rescheduledInTime: 1, rescheduledLate: 1, cancelledInTime: 0, cancelledLate: 0, noShow: 1 });
      expect((await sched.get(`/assistants/${a}/reliability`, asAssistant(a))).body.noShow).toBe(1);
      expect((await sched.get(`/clients/${c}/reliability`)).body).toMatchObject({ cancelledLate: 1 });
      // the other client of the assistant sees only its own part: nothing yet
      expect((await sched.get(`/assistants/${a}/reliability`, asClient(other))).body).toEqual({ kept: 0, rescheduledInTime: 0, rescheduledLate: 0, cancelledInTime: 0, cancelledLate: 0, noShow: 0 });
      await sched.get(`/assistants/${a}/reliability`, asClient(await newClient()), 404);
      await sched.get(`/assistants/${a}/reliability`, asAssistant(await newAssistant()), 404);
    });

    it("applies the agency's buffer and minimum notice", async () => {
      const ag = 'agency-buffer';
      const boss = adminOf(ag);
      await setClock('2026-03-02T00:00:00Z');
      await request(clients.url).put('/agency/settings').set(bearer(boss)).send({ timezone: 'UTC', minimumNoticeHours: 48, bufferMinutes: 15, roundingMinutes: 0, roundingMode: 'nearest', silenceWorkingDays: 5 }).expect(200);
      const [c, a] = [await newClient('America/New_York', boss), await newAssistant('Europe/London', boss)];
      const e = await newEngagement(c, a, boss);
      await waitUntil(async () => (await request(scheduling.url).get('/agency/scheduling-settings').set(bearer(boss))).body.bufferMinutes === 15, { what: 'the agency settings' });
      const first = (await sched.post('/appointments', appointment(e, '2026-03-03T10:00:00Z', '2026-03-03T10:30:00Z'), boss)).body.id;
      expect((await sched.post('/appointments', appointment(e, '2026-03-03T10:40:00Z', '2026-03-03T11:00:00Z'), boss, 409)).body.code).toBe('APPOINTMENT.CONFLICT');
      await sched.post('/appointments', appointment(e, '2026-03-03T10:45:00Z', '2026-03-03T11:00:00Z'), boss);
      await sched.post(`/appointments/${first}/cancel`, { reason: 'r' }, boss, 200); // 34 h before, notice is 48 h
      expect((await sched.get(`/appointments/${first}`, boss)).body.late).toBe(true);
    });
  });

  describe('agenda and recurring appointments across daylight-saving changes', () => {
    it('keeps a weekly 09:00 New York call at 09:00 New York, shown in each viewer zone', async () => {
      await setClock('2026-03-01T00:00:00Z');
      const [c, other, london] = [await newClient('America/New_York'), await newClient('America/New_York'), await newAssistant('Europe/London')];
      const [e, eOther] = [await newEngagement(c, london), await newEngagement(other, london)];
      const series = await sched.post('/appointments', appointment(e, '2026-03-02T14:00:00Z', '2026-03-02T14:30:00Z', { title: 'Weekly', recurrence: { every: 'week', count: 5 } }), asClient(c));
      expect(series.body.occurrences.map((o: { startsAt: string }) => o.startsAt)).toEqual([
        '2026-03-02T14:00:00.000Z',
        '2026-03-09T13:00:00.000Z', // US on summer time since March 8
        '2026-03-16T13:00:00.000Z',
        '2026-03-23T13:00:00.000Z',
        '2026-03-30T13:00:00.000Z', // Europe on summer time since March 29
      ]);
      const day = async (date: string, q: string, token = admin) => (await sched.get(`/agenda?date=${date}&${q}`, token)).body;
      for (const date of ['2026-03-02', '2026-03-09', '2026-03-30']) {
        expect(await day(date, `clientId=${c}`, asClient(c))).toMatchObject({ date, timezone: 'America/New_York', items: [{ localStart: '09:00', localEnd: '09:30', kind: 'check-in', busy: false }] });
      }
      // a visible appointment names both its parties (the console's day shows the other side without reading the engagement)
      expect((await day('2026-03-02', `assistantId=${london}`)).items[0]).toMatchObject({ localStart: '14:00', busy: false, engagementId: e, assistantId: london, clientId: c });
      expect((await day('2026-03-09', `assistantId=${london}`)).items[0]).toMatchObject({ localStart: '13:00' });
      expect((await day('2026-03-30', `assistantId=${london}`, asAssistant(london))).items[0]).toMatchObject({ localStart: '14:00', busy: false, title: 'Weekly' });

      // the other client sees the assistant's time as busy, with no details
      const busy = (await day('2026-03-09', `assistantId=${london}`, asClient(other))).items;
      expect(busy).toEqual([{ startsAt: '2026-03-09T13:00:00.000Z', endsAt: '2026-03-09T13:30:00.000Z', localStart: '13:00', localEnd: '13:30', kind: null, busy: true }]);
      await sched.get(`/agenda?date=2026-03-09&clientId=${c}`, asClient(other), 404);
      await sched.get(`/agenda?date=2026-03-09&assistantId=${london}`, asClient(await newClient()), 404);
      await sched.get(`/agenda?date=2026-03-09`, admin, 400);
      await sched.get(`/agenda?date=2026-02-30&clientId=${c}`, admin, 400);

      // one occurrence moves alone, another is cancelled alone
      const [, second, third] = series.body.occurrences.map((o: { id: string }) => o.id);
      await sched.post(`/appointments/${second}/reschedule`, { startsAt: '2026-03-09T14:00:00Z', endsAt: '2026-03-09T14:30:00Z', reason: 'moved' }, asClient(c), 200);
      await sched.post(`/appointments/${third}/cancel`, { reason: 'holiday' }, asClient(c), 200);
      expect((await day('2026-03-09', `clientId=${c}`)).items.map((i: { localStart: string }) => i.localStart)).toEqual(['10:00']);
      expect((await day('2026-03-16', `clientId=${c}`)).items).toEqual([]);
      expect((await day('2026-03-23', `clientId=${c}`)).items.map((i: { localStart: string }) => i.localStart)).toEqual(['09:00']);

      // a series passes the double-booking check as a whole: one conflict, nothing booked
      const clash = await sched.post('/appointments', appointment(eOther, '2026-03-17T13:00:00Z', '2026-03-17T13:30:00Z', { recurrence: { every: 'week', count: 3 } }), asClient(other));
      expect(clash.body.occurrences).toHaveLength(3);
      const refused = await sched.post('/appointments', appointment(eOther, '2026-03-10T13:00:00Z', '2026-03-10T13:30:00Z', { recurrence: { every: 'week', until: '2026-03-31' } }), asClient(other), 409);
      expect(refused.body.code).toBe('APPOINTMENT.CONFLICT');
      expect((await day('2026-03-10', `clientId=${other}`)).items).toEqual([]);
      await sched.post('/appointments', appointment(eOther, '2026-03-10T13:00:00Z', '2026-03-10T13:30:00Z', { recurrence: { every: 'week' } }), asClient(other), 400);
      await sched.post('/appointments', appointment(eOther, '2026-03-10T13:00:00Z', '2026-03-10T13:30:00Z', { recurrence: { every: 'week', count: 53 } }), asClient(other), 400);
    });

    it('decides a series booking whose process died before storing its answer again, with the same ids: booked once', async () => {
      await setClock('2026-03-01T00:00:00Z');
      const [c, a] = [await newClient(), await newAssistant()];
      const e = await newEngagement(c, a);
      const key = `series-${e}`;
      const book = () =>
        request(scheduling.url)
          .post('/appointments')
          .set(bearer(admin))
          .set('Idempotency-Key', key)
          .send(appointment(e, '2026-03-04T15:00:00Z', '2026-03-04T15:30:00Z', { recurrence: { every: 'week', count: 3 } }))
          .expect(201);
      const first = await book();
      position = Math.max(position, first.body.position);
      await dieInFlight(scheduling, adminClaims, key);
      const again = await book();
      expect(again.headers['idempotent-replayed']).toBeUndefined(); // decided again, not replayed
      expect({ ...again.body, position: first.body.position }).toEqual(first.body);
      expect(again.headers.location).toBe(first.headers.location);
      for (const date of ['2026-03-04', '2026-03-11', '2026-03-18']) {
        expect((await sched.get(`/agenda?date=${date}&assistantId=${a}`)).body.items).toHaveLength(1);
      }
    });

    it('in November, for an assistant in Manila (no DST) and one in London (EU change on October 25)', async () => {
      await setClock('2026-10-01T00:00:00Z');
      const [c, manila, london] = [await newClient('America/New_York'), await newAssistant('Asia/Manila'), await newAssistant('Europe/London')];
      const [em, el] = [await newEngagement(c, manila), await newEngagement(c, london)];
      await request(scheduling.url).put(`/engagements/${em}/scheduling-policy`).set(bearer(admin)).send({ allowOutsideWorkingHours: true }).expect(200);
      const m = await sched.post('/appointments', appointment(em, '2026-10-26T13:00:00Z', '2026-10-26T13:30:00Z', { kind: 'review', recurrence: { every: '2-weeks', count: 2 } }));
      expect(m.body.occurrences.map((o: { startsAt: string }) => o.startsAt)).toEqual(['2026-10-26T13:00:00.000Z', '2026-11-09T14:00:00.000Z']);
      const l = await sched.post('/appointments', appointment(el, '2026-10-19T14:00:00Z', '2026-10-19T14:30:00Z', { recurrence: { every: 'week', count: 3 } }));
      expect(l.body.occurrences.map((o: { startsAt: string }) => o.startsAt)).toEqual(['2026-10-19T14:00:00.000Z', '2026-10-26T14:00:00.000Z', '2026-11-02T15:00:00.000Z']);
      const day = async (date: string, q: string) => (await sched.get(`/agenda?date=${date}&${q}`)).body;
      expect((await day('2026-10-26', `assistantId=${manila}`)).items[0]).toMatchObject({ localStart: '21:00', kind: 'review' });
      expect((await day('2026-11-09', `assistantId=${manila}`)).items[0]).toMatchObject({ localStart: '22:00' });
      expect((await day('2026-10-19', `assistantId=${london}`)).items[0]).toMatchObject({ localStart: '15:00' }); // 10:00 NY, BST
      expect((await day('2026-10-26', `assistantId=${london}`)).items[0]).toMatchObject({ localStart: '14:00' }); // 10:00 NY (EDT), GMT
      expect((await day('2026-11-02', `assistantId=${london}`)).items[0]).toMatchObject({ localStart: '15:00' }); // 10:00 NY (EST), GMT
      const ny = (await day('2026-10-26', `clientId=${c}`)).items.map((i: { localStart: string }) => i.localStart);
      expect(ny).toEqual(['09:00', '10:00']);
      expect((await day('2026-11-02', `clientId=${c}`)).items.map((i: { localStart: string }) => i.localStart)).toEqual(['10:00']);
    });
  });

  describe('when an engagement ends', () => {
    it("cancels the engagement's future appointments as the system, and books no more", async () => {
      await setClock('2026-03-02T13:00:00Z');
      const [c, a] = [await newClient(), await newAssistant()];
      const e = await newEngagement(c, a);
      const future = (await sched.post('/appointments', appointment(e, '2026-03-10T10:00:00Z', '2026-03-10T10:30:00Z'))).body.id;
      await cl(`/engagements/${e}/breach`, { by: 'client', reason: 'left without notice' });
      const cancelled = await waitUntil(async () => {
        const r = await sched.get(`/appointments/${future}`);
        return r.body.status === 'cancelled' ? r.body : undefined;
      }, { what: 'the system to cancel the future appointment' });
      expect(cancelled.changes).toEqual([expect.objectContaining({ type: 'cancelled', by: 'system', reason: 'engagement ended', late: false })]);
      expect((await sched.post('/appointments', appointment(e, '2026-03-11T10:00:00Z', '2026-03-11T10:30:00Z'), admin, 409)).body.code).toBe('APPOINTMENT.ENGAGEMENT_NOT_ACTIVE');
      expect((await sched.get(`/assistants/${a}/reliability`)).body).toMatchObject({ cancelledInTime: 0, cancelledLate: 0 });
    });
  });

  describe('the clients service hears about kept appointments', () => {
    it('counts a kept appointment as a sign of life: no EngagementWentSilent until 5 working days after it', async () => {
      await setTestClock(clients, admin, '2026-03-02T12:00:00Z');
      await setClock('2026-03-02T12:00:00Z');
      const [c, a] = [await newClient(), await newAssistant()];
      const e = await newEngagement(c, a);
      const booked = await sched.post('/appointments', appointment(e, '2026-03-10T14:00:00Z', '2026-03-10T14:30:00Z'));
      // during the call (kept may be marked once it started), so the no-show process cannot get there first
      await setClock('2026-03-10T14:20:00Z');
      await sched.post(`/appointments/${booked.body.id}/kept`, {}, asAssistant(a), 200);
      await expectSilenceAfterFiveWorkingDays(clients, admin, e, {
        lastActivityAt: '2026-03-10T14:20:00.000Z',
        heardOf: 'AppointmentKept',
        stillActiveOn: '2026-03-16T12:00:00Z', // Monday: 4 working days after the kept call (10 after the start)
        silentOn: '2026-03-17T12:00:00Z', // Tuesday: the 5th
        clockAfter: '2026-03-02T12:00:00Z',
      });
    });
  });

  it('has idempotent projections: every event this suite produced, applied twice, changes nothing the second time', async () => {
    const { first, second, events, undecodable } = await replayTwice(schedulingProjections(scheduling.env.VAOPS_TOPIC_PREFIX));
    expect(events).toBeGreaterThan(50);
    expect(undecodable).toBe(0); // every event this service produced matches its contract
    expect(second).toEqual(first);
  });
});
