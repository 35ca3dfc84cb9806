import request from 'supertest';
import { Topics } from '@vaops/contracts';
import { agencyRoles, bearer, readTopic, readYourWrites, SEED, setTestClock, suiteServices, testKafka, tokenFor, untilSchedulingKnows, usd, waitUntil } from '@vaops/testing';

/**
 * Handover during notice, on the real servers: the clients service decides the plan and starts the
 * replacement engagement; the scheduling service (same topic prefix) moves the appointments, lists the
 * conflicts and books the handover meeting; the plan shows it all to the agency and the client.
 */
describe('handover during notice', () => {
  const [clients, scheduling] = suiteServices(['clients', 'scheduling'], { VAOPS_TEST_CLOCK: '1', VAOPS_SCHEDULER_INTERVAL_MS: '200' });
  const agency = 'agency-h';
  const { admin, asClient, asAssistant } = agencyRoles(agency);
  // Monday to Friday, 08:00-18:00 in the assistant's zone
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, start: '08:00', end: '18:00' }));

  // read-your-writes positions are each service's own
  const clientsApi = readYourWrites(() => clients, admin);
  const schedulingApi = readYourWrites(() => scheduling, admin);
  const post = (path: string, body: object, token = admin, status = 201) => clientsApi.post(path, body, token, status);
  const get = (path: string, token = admin, status = 200) => clientsApi.get(path, token, status);
  const setClock = async (now: string) => {
    for (const s of [clients, scheduling]) await setTestClock(s, admin, now);
  };

  const newClient = async () => (await post('/clients', { name: 'Client', email: 'c@x.co', timezone: 'Europe/London', currency: 'USD' })).body.id as string;
  const newAssistant = async (weeklyCapacityHours = 30, over: object = {}) =>
    (await post('/assistants', { name: 'VA', email: 'va@x.co', timezone: 'Europe/London', weeklyCapacityHours, skills: [], payRate: usd(1200), workingHours: weekdays, ...over })).body.id as string;
  // SEED's engagement (hourly at 40.00, from Monday 2026-03-02), 10 hours a week, 21 days' notice, in phase II
  const engagement = (clientId: string, assistantId: string, over: object = {}) => ({ clientId, assistantId, ...SEED.engagement, weeklyHours: 10, noticePeriodDays: 21, phase: 2, ...over });
  /** An engagement in notice (given on Monday 2026-03-09: it ends on 2026-03-30). */
  const inNotice = async (clientId: string, assistantId: string) => {
    const id = (await post('/engagements', engagement(clientId, assistantId))).body.id as string;
    await post(`/engagements/${id}/notice`, { by: 'assistant', reason: 'moving on' }, admin, 200);
    return id;
  };
  const sched = (path: string, body?: object, token = admin, status = body ? 201 : 200) => (body ? schedulingApi.post(path, body, token, status) : schedulingApi.get(path, token, status));
  /** Waits until scheduling knows the engagement and its two parties (they travel on different partitions). */
  const known = (engagementId: string, clientId: string, assistantId: string) => untilSchedulingKnows(scheduling, admin, { engagementId, clientId, assistantId }, '2026-03-09');
  /** The plan once the scheduling service has handled its appointments (`key`: appointments or unwound). */
  const settled = async (id: string, key: 'appointments' | 'unwound') => {
    let plan: Record<string, unknown> = {};
    await waitUntil(async () => ((plan = (await get(`/engagements/${id}/handover`)).body)[key] ?? null) !== null, { timeoutMs: 30_000, what: `the handover's ${key}` });
    return plan as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const handover = (replacementAssistantId: string, over: object = {}) => ({ replacementAssistantId, handoverOn: '2026-03-16', startingPhase: 2, ...over });

  let prefix = '';
  beforeAll(async () => {
    prefix = clients.env.VAOPS_TOPIC_PREFIX;
    await setClock('2026-03-09T09:00:00Z'); // a Monday
  }, 120_000);

  describe('the plan (clients service)', () => {
    it('starts the replacement engagement from handoverOn with the same client and plan, and shows the plan to the agency, its client and both assistants only', async () => {
      const [c, other] = [await newClient(), await newClient()];
      const [a, b] = [await newAssistant(), await newAssistant()];
      const id = await inNotice(c, a);
      const r = await post(`/engagements/${id}/handover`, handover(b, { startingPhase: 1 }));
      expect(r.headers.location).toBe(`/engagements/${id}/handover`);
      const newId = r.body.id as string;

      const replacement = (await get(`/engagements/${newId}`)).body;
      expect(replacement).toMatchObject({ clientId: c, assistantId: b, kind: 'part-time', weeklyHours: 10, startsOn: '2026-03-16', noticePeriodDays: 21, phase: 1, plan: { type: 'hourly', rate: usd(4000) }, status: 'active' });
      expect((await get(`/assistants/${b}`)).body.committedWeeklyHours).toBe(10);
      // the outgoing engagement runs its notice as before
      expect((await get(`/engagements/${id}`)).body).toMatchObject({ status: 'in-notice', endsOn: '2026-03-30' });

      const plan = (await get(`/engagements/${id}/handover`)).body;
      expect(plan).toMatchObject({ engagementId: id, newEngagementId: newId, clientId: c, outgoingAssistantId: a, replacementAssistantId: b, handoverOn: '2026-03-16', startingPhase: 1, endsOn: '2026-03-30', status: 'planned' });
      await get(`/engagements/${id}/handover`, asClient(c));
      await get(`/engagements/${id}/handover`, asAssistant(b));
      await get(`/engagements/${id}/handover`, asClient(other), 404);
      await get(`/engagements/${id}/handover`, tokenFor({ sub: 'x', agencyId: 'agency-other', role: 'agency-admin' }), 404);
    });

    it('refuses what breaks a rule: no notice, the date, the same assistant, an unknown one, capacity, a second handover, another role', async () => {
      const c = await newClient();
      const [a, b, small] = [await newAssistant(), await newAssistant(), await newAssistant(5)];
      const active = (await post('/engagements', engagement(c, a, { weeklyHours: 5 }))).body.id as string;
      expect((await post(`/engagements/${active}/handover`, handover(b), admin, 409)).body.code).toBe('HANDOVER.NOT_IN_NOTICE');

      const id = await inNotice(c, a);
      expect((await post(`/engagements/${id}/handover`, handover(b, { handoverOn: '2026-03-30' }), admin, 409)).body.code).toBe('HANDOVER.DATE_OUTSIDE_NOTICE');
      expect((await post(`/engagements/${id}/handover`, handover(b, { handoverOn: '2026-03-06' }), admin, 409)).body.code).toBe('HANDOVER.DATE_OUTSIDE_NOTICE');
      expect((await post(`/engagements/${id}/handover`, handover(a), admin, 400)).body.code).toBe('HANDOVER.SAME_ASSISTANT');
      expect((await post(`/engagements/${id}/handover`, handover(b, { startingPhase: 3 }), admin, 400)).body.code).toBe('HANDOVER.PHASE_ABOVE_CURRENT');
      expect((await post(`/engagements/${id}/handover`, handover('0190f0f0-0000-7000-8000-000000000000'), admin, 404)).body.code).toBe('ASSISTANT.NOT_FOUND');
      expect((await post(`/engagements/${id}/handover`, handover(small), admin, 409)).body.code).toBe('ASSISTANT.CAPACITY_EXCEEDED');
      expect((await post(`/engagements/${id}/handover`, { ...handover(b), handoverOn: '16/03/2026' }, admin, 400)).body.errors).toEqual([expect.objectContaining({ field: 'handoverOn' })]);
      await post(`/engagements/${id}/handover`, handover(b), asClient(c), 403);
      await post(`/engagements/0190f0f0-0000-7000-8000-000000000001/handover`, handover(b), admin, 404);

      await post(`/engagements/${id}/handover`, handover(b));
      expect((await post(`/engagements/${id}/handover`, handover(small, { capacityOverrideReason: 'short overlap' }), admin, 409)).body.code).toBe('HANDOVER.ALREADY_PLANNED');
      // refused handovers reserved nothing: only the planned one holds hours
      expect((await get(`/assistants/${small}`)).body.committedWeeklyHours).toBe(0);
      expect((await get(`/assistants/${b}`)).body.committedWeeklyHours).toBe(10);
    });
  });

  describe('the appointments (scheduling service)', () => {
    it('moves the future appointments (series included) to the replacement where free, lists the conflict, books the handover meeting, and shows it to the client', async () => {
      const [c, c2, other] = [await newClient(), await newClient(), await newClient()];
      const [a, b] = [await newAssistant(), await newAssistant()];
      const e = (await post('/engagements', engagement(c, a))).body.id as string;
      const busy = (await post('/engagements', engagement(c2, b))).body.id as string;
      await known(e, c, a);
      await known(busy, c2, b);
      // a weekly check-in on Tuesdays at 10:00 (03-10, 03-17, 03-24) and a review on Wednesday 03-18 at 14:00
      const series = (await sched('/appointments', { engagementId: e, kind: 'check-in', startsAt: '2026-03-10T10:00:00Z', endsAt: '2026-03-10T10:30:00Z', recurrence: { every: 'week', count: 3 } })).body;
      const review = (await sched('/appointments', { engagementId: e, kind: 'review', startsAt: '2026-03-18T14:00:00Z', endsAt: '2026-03-18T15:00:00Z', title: 'Quarterly review' })).body.id as string;
      // the replacement is busy then with another client
      await sched('/appointments', { engagementId: busy, kind: 'check-in', startsAt: '2026-03-18T14:30:00Z', endsAt: '2026-03-18T15:00:00Z' });
      await post(`/engagements/${e}/notice`, { by: 'assistant', reason: 'moving on' }, admin, 200);
      const newId = (await post(`/engagements/${e}/handover`, handover(b))).body.id as string;

      const plan = await settled(e, 'appointments');
      const [first, second, third] = series.occurrences as { id: string }[];
      expect(plan.appointments.moved.map((m: { appointmentId: string }) => m.appointmentId).sort()).toEqual([second.id, third.id].sort());
      expect(plan.appointments.moved[0]).toMatchObject({ kind: 'check-in', seriesId: series.seriesId });
      expect(plan.appointments.conflicts).toEqual([expect.objectContaining({ appointmentId: review, kind: 'review', startsAt: '2026-03-18T14:00:00.000Z', reason: 'APPOINTMENT.CONFLICT' })]);
      // the working day before the handover (Friday 03-13), the earliest half hour inside both assistants' hours
      expect(plan.appointments.meeting).toMatchObject({ startsAt: '2026-03-13T08:00:00.000Z', endsAt: '2026-03-13T08:30:00.000Z' });

      // on the calendars: copies on the replacement's (of the new engagement), the originals cancelled, the rest untouched
      const copy = plan.appointments.moved.find((m: { appointmentId: string }) => m.appointmentId === second.id).newAppointmentId as string;
      expect((await sched(`/appointments/${copy}`)).body).toMatchObject({ engagementId: newId, startsAt: '2026-03-17T10:00:00.000Z', status: 'booked' });
      expect((await sched(`/appointments/${second.id}`)).body).toMatchObject({ status: 'cancelled' });
      expect((await sched(`/appointments/${first.id}`)).body).toMatchObject({ status: 'booked' });
      expect((await sched(`/appointments/${review}`)).body).toMatchObject({ status: 'booked' });
      expect((await sched(`/appointments/${plan.appointments.meeting.replacementAppointmentId}`)).body).toMatchObject({ engagementId: newId, status: 'booked' });
      expect((await sched(`/appointments/${plan.appointments.meeting.outgoingAppointmentId}`)).body).toMatchObject({ engagementId: e, status: 'booked' });
      await sched(`/appointments/${copy}`, undefined, asClient(c));
      await sched(`/appointments/${copy}`, undefined, asAssistant(b));
      await sched(`/appointments/${copy}`, undefined, asAssistant(a), 404);

      // the client's portal shows the whole plan; another client sees nothing
      expect((await get(`/engagements/${e}/handover`, asClient(c))).body.appointments.moved).toHaveLength(2);
      await get(`/engagements/${e}/handover`, asClient(other), 404);

      // redelivered (at-least-once), the plan changes nothing: the same HandoverPlanned again on the topic,
      // handled by scheduling's process (its group's offsets pass it), leaves the calendars as they were
      const kafka = testKafka();
      const topic = `${prefix}${Topics.clients}`;
      const planned = (await readTopic(kafka, topic)).filter((m) => m.value !== null && JSON.parse(m.value).type === 'HandoverPlanned' && JSON.parse(m.value).data.newEngagementId === newId);
      expect(planned).toHaveLength(1);
      const agendaOf = async (assistantId: string, date: string) => (await sched(`/agenda?date=${date}&assistantId=${assistantId}`)).body.items.length as number;
      const days = ['2026-03-13', '2026-03-17', '2026-03-18', '2026-03-24'];
      const before = await Promise.all([a, b].flatMap((who) => days.map((d) => agendaOf(who, d))));
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, messages: [{ key: planned[0].key, value: planned[0].value, headers: planned[0].headers }] });
      await producer.disconnect();
      const admin2 = kafka.admin();
      await admin2.connect();
      try {
        const ends = await admin2.fetchTopicOffsets(topic);
        const group = `${prefix}scheduling.scheduling.handover-process`;
        await waitUntil(
          async () => {
            const [committed] = await admin2.fetchOffsets({ groupId: group, topics: [topic] });
            return ends.every((end) => Number(committed.partitions.find((p) => p.partition === end.partition)?.offset ?? -1) >= Number(end.offset));
          },
          { timeoutMs: 30_000, what: "scheduling's handover process to pass the redelivered plan" },
        );
      } finally {
        await admin2.disconnect();
      }
      expect(await Promise.all([a, b].flatMap((who) => days.map((d) => agendaOf(who, d))))).toEqual(before);
      expect((await get(`/engagements/${e}/handover`)).body.appointments).toEqual(plan.appointments);
    });

    it('takes an Idempotency-Key: a retried POST /engagements/:id/handover plans once and answers the first answer again', async () => {
      const c = await newClient();
      const [a, b] = [await newAssistant(), await newAssistant()];
      const e = await inNotice(c, a);
      const body = handover(b);
      const key = `handover-${e}`;
      const first = await request(clients.url).post(`/engagements/${e}/handover`).set(bearer(admin)).set('Idempotency-Key', key).send(body).expect(201);
      const retry = await request(clients.url).post(`/engagements/${e}/handover`).set(bearer(admin)).set('Idempotency-Key', key).send(body).expect(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toEqual(first.body);
      // without the key, a second plan is a broken rule
      await post(`/engagements/${e}/handover`, body, admin, 409);
    });
  });

  describe('the withdrawal', () => {
    it('cancels the plan, ends the replacement engagement before it starts, releases its hours and gives the appointments back', async () => {
      const c = await newClient();
      const [a, b] = [await newAssistant(), await newAssistant()];
      const e = (await post('/engagements', engagement(c, a))).body.id as string;
      await known(e, c, a);
      const call = (await sched('/appointments', { engagementId: e, kind: 'check-in', startsAt: '2026-03-19T11:00:00Z', endsAt: '2026-03-19T11:30:00Z' })).body.id as string;
      await post(`/engagements/${e}/notice`, { by: 'client', reason: 'budget' }, admin, 200);
      const newId = (await post(`/engagements/${e}/handover`, handover(b, { handoverOn: '2026-03-17' }))).body.id as string;
      const copy = (await settled(e, 'appointments')).appointments.moved[0].newAppointmentId as string;

      await post(`/engagements/${e}/handover/cancel`, { reason: 'changed my mind' }, asClient(c), 403);
      await post(`/engagements/${e}/handover/cancel`, { reason: 'changed my mind' }, asAssistant(a), 403);
      await post(`/engagements/${e}/handover/cancel`, { reason: 'x' }, asAssistant(b), 400);
      await post(`/engagements/${e}/handover/cancel`, { reason: 'cannot take it after all' }, asAssistant(b), 200);
      // a retry finishes nothing more and fails nothing
      await post(`/engagements/${e}/handover/cancel`, { reason: 'cannot take it after all' }, asAssistant(b), 200);

      expect((await get(`/engagements/${newId}`)).body).toMatchObject({ status: 'ended', endedOn: '2026-03-17' });
      expect((await get(`/assistants/${b}`)).body.committedWeeklyHours).toBe(0);
      const plan = await settled(e, 'unwound');
      expect(plan).toMatchObject({ status: 'cancelled', cancelled: { by: 'assistant', reason: 'cannot take it after all' } });
      expect(plan.unwound).toMatchObject({ restored: [expect.objectContaining({ appointmentId: copy, startsAt: '2026-03-19T11:00:00.000Z' })], unresolved: [], meetingCancelled: true });
      expect((await sched(`/appointments/${copy}`)).body.status).toBe('cancelled');
      expect((await sched(`/appointments/${plan.unwound.restored[0].restoredAppointmentId}`)).body).toMatchObject({ engagementId: e, status: 'booked' });
      expect((await sched(`/appointments/${call}`)).body.status).toBe('cancelled');
      expect((await sched(`/appointments/${plan.appointments.meeting.outgoingAppointmentId}`)).body.status).toBe('cancelled');

      // the engagement may be handed over again; no withdrawal once the day has come
      const again = (await post(`/engagements/${e}/handover`, handover(b, { handoverOn: '2026-03-18' }))).body.id as string;
      expect(again).not.toBe(newId);
      await setClock('2026-03-18T09:00:00Z');
      expect((await post(`/engagements/${e}/handover/cancel`, { reason: 'too late now' }, admin, 409)).body.code).toBe('HANDOVER.ALREADY_STARTED');
      await setClock('2026-03-09T09:00:00Z');
    });
  });
});
