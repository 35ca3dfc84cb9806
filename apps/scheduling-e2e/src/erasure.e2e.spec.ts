import request from 'supertest';
import { MongoClient } from 'mongodb';
import { Topics } from '@vaops/contracts';
import { newId } from '@vaops/event-sourcing';
import { MongoEventStore } from '@vaops/mongo';
import { databaseName } from '@vaops/platform';
import { agencyRoles, bearer, readTopic, readYourWrites, runRebuild, setTestClock, suiteServices, testKafka, untilSchedulingKnows, usd, waitUntil } from '@vaops/testing';

/**
 * An appointment's title and the reasons it moved or was cancelled, on the real servers: published and
 * stored encrypted under the key of its engagement (bound to its client and assistant); the agenda,
 * the appointment, its history and its state as of an instant answer them decrypted, and `[erased]`
 * once the assistant is erased (POST /people/:id/erasure on the clients service). A handover's copy is
 * encrypted again under the replacement engagement's key, so each calendar depends on its own parties.
 * A v1 event with plaintext on the topic is sealed before any read model keeps it.
 */
describe('erasure of appointment titles and reasons', () => {
  const [clients, scheduling] = suiteServices(['clients', 'scheduling'], { VAOPS_TEST_CLOCK: '1' });
  const agency = 'agency-se';
  const { admin, asClient, asAssistant } = agencyRoles(agency);
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, start: '08:00', end: '18:00' }));
  const kafka = testKafka();
  const schedulingTopic = () => `${scheduling.env.VAOPS_TOPIC_PREFIX}${Topics.scheduling}`;

  // read-your-writes positions are each service's own
  const clientsApi = readYourWrites(() => clients, admin);
  const schedulingApi = readYourWrites(() => scheduling, admin);
  const cl = (path: string, body?: object, token = admin, status = body ? 201 : 200) => (body ? clientsApi.post(path, body, token, status) : clientsApi.get(path, token, status));
  const sched = (path: string, body?: object, token = admin, status = body ? 201 : 200) => (body ? schedulingApi.post(path, body, token, status) : schedulingApi.get(path, token, status));
  const newClient = async () => (await cl('/clients', { name: 'Zelda Quartermain', email: 'zelda@quartermain.example', timezone: 'Europe/London', currency: 'USD' })).body.id as string;
  const newAssistant = async () => (await cl('/assistants', { name: 'Yannick Oduya', email: 'y@va.example', timezone: 'Europe/London', weeklyCapacityHours: 30, skills: [], payRate: usd(1200), workingHours: weekdays })).body.id as string;
  const newEngagement = async (clientId: string, assistantId: string) => {
    const id = (await cl('/engagements', { clientId, assistantId, kind: 'part-time', weeklyHours: 10, startsOn: '2026-03-02', noticePeriodDays: 21, phase: 2, plan: { type: 'hourly', rate: usd(4000) } })).body.id as string;
    await untilSchedulingKnows(scheduling, admin, { engagementId: id, clientId, assistantId }, '2026-03-09');
    return id;
  };
  const book = async (engagementId: string, startsAt: string, endsAt: string, title?: string) => (await sched('/appointments', { engagementId, kind: 'check-in', startsAt, endsAt, ...(title ? { title } : {}) })).body.id as string;
  const appointment = async (id: string) => (await sched(`/appointments/${id}`)).body;
  /** The handover plan once scheduling has handled it (`key`: appointments or unwound). */
  const settled = async (engagementId: string, key: 'appointments' | 'unwound') => {
    let plan: Record<string, unknown> = {};
    await waitUntil(async () => ((plan = (await cl(`/engagements/${engagementId}/handover`)).body)[key] ?? null) !== null, { timeoutMs: 30_000, what: `the handover's ${key}` });
    return plan as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const rawTopic = async () => (await readTopic(kafka, schedulingTopic())).map((m) => m.value ?? '');
  const erase = async (personId: string) => {
    await request(clients.url).post(`/people/${personId}/erasure`).set(bearer(admin)).expect(202);
  };
  /** The scheduling service's read model documents of an appointment, as stored. */
  const storedDocs = async (id: string) => {
    const mongo = new MongoClient(scheduling.env.MONGO_URL);
    try {
      const db = mongo.db(databaseName(scheduling.env.MONGO_URL, 'scheduling'));
      return { appointment: await db.collection('appointments').findOne({ _id: id as never }), history: await db.collection('appointment_history').findOne({ _id: id as never }) };
    } finally {
      await mongo.close();
    }
  };

  let client: string;
  let outgoing: string;
  let replacement: string;
  let engagement: string;
  let moved: string;
  let cancelled: string;
  let handedOver: string;
  let replacementEngagement: string;
  let copy: string;
  let meeting: { outgoingAppointmentId: string; replacementAppointmentId: string };

  beforeAll(async () => {
    for (const s of [clients, scheduling]) await setTestClock(s, admin, '2026-03-09T09:00:00Z'); // a Monday
    client = await newClient();
    [outgoing, replacement] = [await newAssistant(), await newAssistant()];
    engagement = await newEngagement(client, outgoing);
  }, 120_000);

  it('publishes the title and reasons encrypted under the engagement’s key, and answers them decrypted on every route', async () => {
    moved = await book(engagement, '2026-03-10T10:00:00Z', '2026-03-10T10:30:00Z', 'Divorce papers with Zelda');
    cancelled = await book(engagement, '2026-03-11T10:00:00Z', '2026-03-11T10:30:00Z');
    handedOver = await book(engagement, '2026-03-17T10:00:00Z', '2026-03-17T10:30:00Z', 'Quarterly review of the Quartermain estate');
    await sched(`/appointments/${moved}/reschedule`, { startsAt: '2026-03-10T11:00:00Z', endsAt: '2026-03-10T11:30:00Z', reason: 'Zelda’s dentist ran late' }, asAssistant(outgoing), 200);
    await sched(`/appointments/${cancelled}/cancel`, { reason: 'Zelda is in hospital' }, asClient(client), 200);

    const view = await appointment(moved);
    expect(view).toMatchObject({ title: 'Divorce papers with Zelda', changes: [{ type: 'rescheduled', reason: 'Zelda’s dentist ran late' }] });
    expect((await appointment(cancelled)).changes).toEqual([expect.objectContaining({ type: 'cancelled', reason: 'Zelda is in hospital' })]);
    expect((await appointment(cancelled)).title).toBeNull();
    const agenda = (await sched(`/agenda?date=2026-03-10&assistantId=${outgoing}`, undefined, asClient(client))).body.items;
    expect(agenda).toEqual([expect.objectContaining({ id: moved, title: 'Divorce papers with Zelda' })]);
    const history = (await sched(`/appointments/${moved}/history`, undefined, asClient(client))).body.items;
    expect(history.map((i: { type: string; reason?: string; changes: { title?: string } }) => [i.type, i.reason, i.changes.title])).toEqual([
      ['AppointmentBooked', undefined, 'Divorce papers with Zelda'],
      ['AppointmentRescheduled', 'Zelda’s dentist ran late', undefined],
    ]);
    expect((await sched(`/appointments/${moved}?asOf=2026-03-09T09:00:00Z`)).body).toMatchObject({ title: 'Divorce papers with Zelda', changes: [{ reason: 'Zelda’s dentist ran late' }] });

    const raw = await rawTopic();
    for (const secret of ['Divorce', 'dentist', 'hospital', 'Quartermain']) expect(raw.join('\n')).not.toContain(secret);
    const published = raw.map((v) => JSON.parse(v));
    const of = (type: string, id: string) => published.find((e) => e.type === type && e.data.appointmentId === id);
    expect(of('AppointmentBooked', moved)).toMatchObject({ schemaVersion: 2, data: { engagementId: engagement, title: { pii: 'v1', person: engagement } } });
    expect(of('AppointmentBooked', cancelled)).toMatchObject({ schemaVersion: 2, data: { title: null } });
    expect(of('AppointmentRescheduled', moved)).toMatchObject({ schemaVersion: 2, data: { reason: { pii: 'v1', person: engagement }, by: 'assistant' } });
    expect(of('AppointmentCancelled', cancelled)).toMatchObject({ schemaVersion: 2, data: { reason: { pii: 'v1', person: engagement }, by: 'client' } });
    // the read models keep the ciphertext
    const stored = JSON.stringify(await storedDocs(moved));
    expect(stored).toContain('"pii":"v1"');
    expect(stored).not.toMatch(/Divorce|dentist/);
  });

  it('copies a handed-over title under the replacement engagement’s key, and seals the system’s reasons and the meeting too', async () => {
    await cl(`/engagements/${engagement}/notice`, { by: 'assistant', reason: 'moving on' }, admin, 200);
    replacementEngagement = (await cl(`/engagements/${engagement}/handover`, { replacementAssistantId: replacement, handoverOn: '2026-03-16', startingPhase: 2 })).body.id as string;
    const plan = await settled(engagement, 'appointments');
    copy = plan.appointments.moved.find((m: { appointmentId: string }) => m.appointmentId === handedOver).newAppointmentId as string;
    meeting = plan.appointments.meeting;
    expect(await appointment(copy)).toMatchObject({ engagementId: replacementEngagement, assistantId: replacement, title: 'Quarterly review of the Quartermain estate', status: 'booked' });
    expect((await appointment(handedOver)).changes).toEqual([expect.objectContaining({ type: 'cancelled', by: 'system', reason: 'handed over to the replacement assistant' })]);
    expect((await appointment(meeting.outgoingAppointmentId)).title).toBe('Handover meeting');
    expect((await appointment(meeting.replacementAppointmentId)).title).toBe('Handover meeting');

    const published = (await rawTopic()).map((v) => JSON.parse(v));
    expect(JSON.stringify(published)).not.toContain('Quartermain');
    expect(published.find((e) => e.type === 'AppointmentBooked' && e.data.appointmentId === copy)).toMatchObject({ schemaVersion: 2, data: { engagementId: replacementEngagement, title: { pii: 'v1', person: replacementEngagement } } });
    expect(published.find((e) => e.type === 'AppointmentBooked' && e.data.appointmentId === meeting.outgoingAppointmentId)).toMatchObject({ data: { title: { pii: 'v1', person: engagement } } });
  });

  it('answers [erased] once the assistant is erased, on every route, while the replacement’s copy stays readable', async () => {
    await erase(outgoing);
    await waitUntil(async () => (await appointment(moved)).title === '[erased]', { timeoutMs: 30_000, what: 'the erased title' });
    expect(await appointment(moved)).toMatchObject({ title: '[erased]', changes: [{ type: 'rescheduled', reason: '[erased]', by: 'assistant' }], startsAt: '2026-03-10T11:00:00.000Z', status: 'booked' });
    expect((await appointment(cancelled)).changes).toEqual([expect.objectContaining({ reason: '[erased]', late: false })]);
    expect((await appointment(handedOver)).title).toBe('[erased]');
    expect((await appointment(meeting.outgoingAppointmentId)).title).toBe('[erased]');
    expect((await sched(`/agenda?date=2026-03-10&assistantId=${outgoing}`)).body.items).toEqual([expect.objectContaining({ id: moved, title: '[erased]' })]);
    const history = JSON.stringify((await sched(`/appointments/${moved}/history`)).body);
    expect(history).not.toMatch(/Divorce|dentist/);
    expect(history).toContain('[erased]');
    expect((await sched(`/appointments/${moved}?asOf=2026-03-09T09:00:00Z`)).body).toMatchObject({ title: '[erased]', changes: [{ reason: '[erased]' }] });

    // the replacement engagement's key names the client and the replacement only
    expect(await appointment(copy)).toMatchObject({ title: 'Quarterly review of the Quartermain estate' });
    expect((await appointment(meeting.replacementAppointmentId)).title).toBe('Handover meeting');
    expect((await sched(`/agenda?date=2026-03-17&assistantId=${replacement}`)).body.items).toEqual([expect.objectContaining({ id: copy, title: 'Quarterly review of the Quartermain estate' })]);

    // what is still booked on the engagement keeps no text
    const later = await book(engagement, '2026-03-12T10:00:00Z', '2026-03-12T10:30:00Z', 'Zelda’s new address');
    expect((await appointment(later)).title).toBe('[erased]');
    expect((await rawTopic()).join('\n')).not.toContain('new address');
  });

  it('restores a withdrawn handover’s appointment under the outgoing engagement’s key: erasing the replacement leaves it readable', async () => {
    const other = await newAssistant();
    const second = await newAssistant();
    const e = await newEngagement(client, other);
    const original = await book(e, '2026-03-19T11:00:00Z', '2026-03-19T11:30:00Z', 'Board prep for Zelda');
    await cl(`/engagements/${e}/notice`, { by: 'client', reason: 'budget' }, admin, 200);
    await cl(`/engagements/${e}/handover`, { replacementAssistantId: second, handoverOn: '2026-03-17', startingPhase: 2 });
    const taken = (await settled(e, 'appointments')).appointments.moved[0].newAppointmentId as string;
    expect((await appointment(taken)).title).toBe('Board prep for Zelda');

    await erase(second);
    await waitUntil(async () => (await appointment(taken)).title === '[erased]', { timeoutMs: 30_000, what: "the replacement's copy erased" });
    await cl(`/engagements/${e}/handover/cancel`, { reason: 'the replacement left the agency' }, admin, 200);
    const plan = await settled(e, 'unwound');
    const restored = plan.unwound.restored[0].restoredAppointmentId as string;
    expect(await appointment(restored)).toMatchObject({ engagementId: e, assistantId: other, title: 'Board prep for Zelda', status: 'booked' });
    expect((await appointment(taken)).changes).toEqual([expect.objectContaining({ type: 'cancelled', by: 'system', reason: '[erased]' })]);
    expect((await appointment(original)).title).toBe('Board prep for Zelda');
    expect((await rawTopic()).join('\n')).not.toContain('Board prep');
  });

  it('rebuilds the appointments and their history after the erasure: equal to the live ones, still only ciphertext', async () => {
    for (const projection of ['scheduling.appointments', 'scheduling.appointment-history']) {
      const out = await runRebuild('scheduling', scheduling.env, projection);
      expect({ projection, code: out.code, stderr: out.code === 0 ? '' : out.stderr }).toEqual({ projection, code: 0, stderr: '' });
      const [result] = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(result).toMatchObject({ projection, equal: true, swapped: true });
    }
    expect(await appointment(moved)).toMatchObject({ title: '[erased]', changes: [{ reason: '[erased]' }] });
    expect(await appointment(copy)).toMatchObject({ title: 'Quarterly review of the Quartermain estate' });
    const rebuilt = await storedDocs(copy);
    expect(rebuilt.appointment?.title).toMatchObject({ pii: 'v1', person: replacementEngagement });
    expect(JSON.stringify(rebuilt)).not.toContain('Quartermain');
  }, 120_000);

  it('publishes an appointment stored before encryption (plaintext in the calendar stream) as v1, sealed on read, then erased with its party', async () => {
    const [assistant, e, id] = [await newAssistant(), newId(), newId()];
    const title = 'Old title about Zelda’s move';
    // as an older scheduling service stored it: the private event with plaintext; its relay publishes it as AppointmentBooked v1
    const mongo = new MongoClient(scheduling.env.MONGO_URL);
    try {
      const store = new MongoEventStore(mongo.db(databaseName(scheduling.env.MONGO_URL, 'scheduling')));
      const metadata = { agencyId: agency, actor: { sub: 'ops', role: 'agency-admin' as const }, correlationId: 'old-1', causationId: 'old-1', occurredAt: '2026-03-01T09:00:00.000Z' };
      const data = { appointmentId: id, engagementId: e, assistantId: assistant, clientId: client, kind: 'check-in', startsAt: '2026-03-20T10:00:00.000Z', endsAt: '2026-03-20T10:30:00.000Z', title, bookedBy: 'agency', recurrence: null };
      await store.appendToStream(`calendar-${assistant}`, 0, [{ type: 'AppointmentBooked', data }], metadata);
    } finally {
      await mongo.close();
    }
    const published = await waitUntil(async () => (await rawTopic()).map((v) => JSON.parse(v)).find((m) => m.type === 'AppointmentBooked' && m.data.appointmentId === id), { timeoutMs: 30_000, what: 'the relay to publish the old booking' });
    expect(published).toMatchObject({ schemaVersion: 1, data: { title } });
    const read = await waitUntil(async () => {
      const r = await request(scheduling.url).get(`/appointments/${id}`).set(bearer(admin));
      return r.status === 200 ? r.body : undefined;
    }, { timeoutMs: 30_000, what: 'the old appointment in the read model' });
    expect(read).toMatchObject({ title, engagementId: e });
    expect(JSON.stringify(await storedDocs(id))).not.toContain('Zelda’s move');
    await erase(assistant);
    await waitUntil(async () => (await request(scheduling.url).get(`/appointments/${id}`).set(bearer(admin))).body.title === '[erased]', { timeoutMs: 30_000, what: 'the old title erased' });
  });

  it('reads a v1 event (plaintext on the topic) sealed under its engagement’s key: the read models keep only ciphertext', async () => {
    const [id, e] = [newId(), newId()];
    const parties = { appointmentId: id, engagementId: e, assistantId: replacement, clientId: client };
    const envelope = (type: string, version: number, data: object) => ({
      eventId: newId(),
      type,
      schemaVersion: 1,
      streamId: `calendar-${replacement}`,
      version,
      position: 1_000_000 + version,
      metadata: { agencyId: agency, actor: { sub: 'ops', role: 'agency-admin' }, correlationId: 'legacy', causationId: 'legacy', occurredAt: '2025-06-01T09:00:00.000Z' },
      data: { ...parties, ...data },
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: schedulingTopic(),
      messages: [
        envelope('AppointmentBooked', 1_000_000, { kind: 'review', startsAt: '2025-06-10T10:00:00.000Z', endsAt: '2025-06-10T11:00:00.000Z', title: 'Legacy review with Lou', bookedBy: 'agency', recurrence: null }),
        envelope('AppointmentCancelled', 1_000_001, { reason: 'Lou moved abroad', by: 'client', late: false }),
      ].map((m) => ({ key: m.streamId, value: JSON.stringify(m) })),
    });
    await producer.disconnect();
    const legacy = await waitUntil(
      async () => {
        const r = await request(scheduling.url).get(`/appointments/${id}`).set(bearer(admin));
        return r.status === 200 && r.body.status === 'cancelled' ? r.body : undefined;
      },
      { timeoutMs: 30_000, what: 'the v1 appointment in the read model' },
    );
    expect(legacy).toMatchObject({ title: 'Legacy review with Lou', changes: [{ type: 'cancelled', reason: 'Lou moved abroad' }] });
    const history = (await request(scheduling.url).get(`/appointments/${id}/history`).set(bearer(admin)).expect(200)).body.items;
    expect(history.map((i: { reason?: string; changes: { title?: string } }) => i.reason ?? i.changes.title)).toEqual(['Legacy review with Lou', 'Lou moved abroad']);
    const stored = await storedDocs(id);
    expect(stored.appointment?.title).toMatchObject({ pii: 'v1', person: e });
    expect(JSON.stringify(stored)).not.toMatch(/Legacy review|moved abroad/);
    expect(JSON.stringify(stored.history)).toContain('"pii":"v1"');

    // its engagement's key is bound to the parties the events name: erasing the client ends it
    await erase(client);
    await waitUntil(async () => (await request(scheduling.url).get(`/appointments/${id}`).set(bearer(admin))).body.title === '[erased]', { timeoutMs: 30_000, what: 'the v1 title erased' });
    expect((await request(scheduling.url).get(`/appointments/${copy}`).set(bearer(admin)).expect(200)).body.title).toBe('[erased]');
  });
});
