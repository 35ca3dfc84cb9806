import request from 'supertest';
import { Topics } from '@vaops/contracts';
import { newId } from '@vaops/event-sourcing';
import { MongoEventStore } from '@vaops/mongo';
import { databaseName } from '@vaops/platform';
import { MongoClient } from 'mongodb';
import { readTopic, runRebuild, startService, testKafka, tokenFor, uniqueName, waitUntil, type RunningService } from '@vaops/testing';

/**
 * Erasure (GDPR Art. 17) on the real servers: names and emails travel encrypted under a key per person;
 * `POST /people/:id/erasure` records PersonErased and destroys the key. From then on the clients API,
 * billing's printable invoice and a rebuild show the person as erased while invoices and payouts add up
 * as before; a v1 ClientRegistered that carried plaintext reads through the same path.
 */
describe('erasure of a client contact and an assistant', () => {
  let clients: RunningService;
  let tt: RunningService;
  let billing: RunningService;
  const agency = uniqueName('agency-erase');
  const admin = tokenFor({ sub: 'ops', agencyId: agency, role: 'agency-admin' });
  const otherAgency = tokenFor({ sub: 'ops2', agencyId: `${agency}-other`, role: 'agency-admin' });
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
  const asClient = (clientId: string) => tokenFor({ sub: `c-${clientId}`, agencyId: agency, role: 'client', clientId });
  const asAssistant = (assistantId: string) => tokenFor({ sub: `a-${assistantId}`, agencyId: agency, role: 'assistant', assistantId });
  const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
  const kafka = testKafka();
  const topic = () => `${clients.env.VAOPS_TOPIC_PREFIX}${Topics.clients}`;
  const legacyClient = newId();
  const oldClient = newId();

  const post = async (svc: RunningService, p: string, body: object, token = admin, status = 201) => {
    const r = await request(svc.url).post(p).set(auth(token)).send(body);
    if (r.status !== status) throw new Error(`POST ${p} answered ${r.status}, expected ${status}: ${JSON.stringify(r.body)}`);
    return r;
  };
  const payout = async (assistantId: string) => (await request(billing.url).get(`/payouts?period=2026-03&assistantId=${assistantId}`).set(auth(admin)).expect(200)).body.items[0];
  const invoiceHtml = async (id: string) => (await request(billing.url).get(`/invoices/${id}`).set(auth(admin)).set('Accept', 'text/html').expect(200)).text;

  let clientId: string;
  let assistantId: string;
  let engagementId: string;
  let invoiceId: string;
  let totalBefore: number;
  let payoutBefore: { billedMinutes: number; amount: { amountMinor: number } };

  beforeAll(async () => {
    const prefix = `${uniqueName('er').replace(/[^a-zA-Z0-9]/g, '_')}.`;
    [clients, tt, billing] = await Promise.all([
      startService('clients', { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix }),
      startService('time-tracking', { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix }),
      startService('billing', { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix }),
    ]);
    await request(clients.url).put('/_test/clock').set(auth(admin)).send({ now: '2026-03-02T12:00:00Z' }).expect(200);
    await request(tt.url).put('/_test/clock').set(auth(admin)).send({ now: '2026-03-20T12:00:00Z' }).expect(200);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([clients?.stop(), tt?.stop(), billing?.stop()]);
  });

  it('publishes names and emails encrypted: a raw consumer of the topic never sees them', async () => {
    clientId = (await post(clients, '/clients', { name: 'Zelda Quartermain', email: 'zelda@quartermain.example', timezone: 'America/New_York', currency: 'USD' })).body.id;
    assistantId = (await post(clients, '/assistants', { name: 'Yannick Oduya', email: 'yannick@va.example', timezone: 'Europe/London', weeklyCapacityHours: 40, skills: [], payRate: usd(1200) })).body.id;
    const raw = await waitUntil(async () => {
      const all = (await readTopic(kafka, topic())).map((m) => m.value ?? '');
      return all.length >= 2 ? all.join('\n') : undefined;
    }, { what: 'the registrations on the topic' });
    for (const secret of ['Zelda', 'Quartermain', 'zelda@', 'Yannick', 'Oduya', 'yannick@']) expect(raw).not.toContain(secret);
    const events = raw.split('\n').map((v) => JSON.parse(v));
    expect(events.find((e) => e.type === 'ClientRegistered')).toMatchObject({ schemaVersion: 2, data: { clientId, name: { pii: 'v1', person: clientId }, email: { pii: 'v1', person: clientId }, currency: 'USD' } });
    expect(events.find((e) => e.type === 'AssistantRegistered')).toMatchObject({ schemaVersion: 3, data: { assistantId, name: { pii: 'v1', person: assistantId } } });
    // the API decrypts for those who may see them
    const seen = await waitUntil(async () => {
      const r = await request(clients.url).get(`/clients/${clientId}`).set(auth(admin));
      return r.status === 200 ? r.body : undefined;
    }, { what: 'the client in the directory' });
    expect(seen).toMatchObject({ name: 'Zelda Quartermain', email: 'zelda@quartermain.example' });
    expect(seen).not.toHaveProperty('erased');
  });

  it('bills and pays as before: time approved, an invoice drafted, a payout computed', async () => {
    engagementId = (await post(clients, '/engagements', { clientId, assistantId, kind: 'part-time', weeklyHours: 2, startsOn: '2026-03-02', noticePeriodDays: 14, phase: 1, plan: { type: 'hourly', rate: usd(4000) } })).body.id;
    await waitUntil(async () => (await request(tt.url).get(`/time-entries?engagementId=${engagementId}`).set(auth(admin))).status === 200, { timeoutMs: 30_000, what: 'time-tracking to learn the engagement' });
    await post(tt, '/time-entries', { engagementId, category: 'data-entry', startedAt: '2026-03-09T10:00:00Z', endedAt: '2026-03-09T11:30:00Z', billable: true }, asAssistant(assistantId));
    await post(tt, `/timesheets/${engagementId}/2026-W11/submit`, {}, asAssistant(assistantId), 200);
    await post(tt, `/timesheets/${engagementId}/2026-W11/approve`, {}, asClient(clientId), 200);
    await waitUntil(async () => (await payout(assistantId))?.billedMinutes === 90, { timeoutMs: 30_000, what: 'billing to learn the approved time' });
    const run = (await post(billing, '/billing-runs', { period: '2026-03' })).body as { invoices: { id: string }[] };
    invoiceId = run.invoices[0].id;
    const invoice = await waitUntil(async () => {
      const r = await request(billing.url).get(`/invoices/${invoiceId}`).set(auth(admin));
      return r.status === 200 ? r.body : undefined;
    }, { what: 'the invoice' });
    totalBefore = invoice.total.amountMinor;
    expect(totalBefore).toBe(6000); // 90 min at 40.00/h
    payoutBefore = await payout(assistantId);
    expect(payoutBefore).toMatchObject({ billedMinutes: 90, amount: usd(1800) });
    expect(await invoiceHtml(invoiceId)).toContain('Zelda Quartermain');
  });

  it('keeps an engagement’s free text encrypted under its key: readable by the parties, never on the topic', async () => {
    await post(clients, `/engagements/${engagementId}/communications`, { channel: 'call', occurredAt: '2026-03-02T11:00:00Z', summary: 'Talked through Zelda’s divorce paperwork' }, admin, 201);
    const phase = await post(clients, `/engagements/${engagementId}/phase`, { phase: 2, reason: 'Yannick handled the Quartermain estate well' }, admin, 200);
    const details = (await request(clients.url).get(`/engagements/${engagementId}?minPosition=${phase.body.position}`).set(auth(admin)).expect(200)).body;
    const texts = JSON.stringify(details.history);
    expect(texts).toContain('Talked through Zelda’s divorce paperwork');
    expect(texts).toContain('Yannick handled the Quartermain estate well');
    const history = (await request(clients.url).get(`/engagements/${engagementId}/history`).set(auth(asClient(clientId))).expect(200)).body;
    expect(JSON.stringify(history)).toContain('Yannick handled the Quartermain estate well');
    const raw = (await readTopic(kafka, topic())).map((m) => m.value ?? '').join('\n');
    expect(raw).not.toContain('divorce');
    expect(raw).not.toContain('estate well');
    const published = raw.split('\n').map((v) => JSON.parse(v));
    expect(published.find((e) => e.type === 'CommunicationLogged')).toMatchObject({ schemaVersion: 2, data: { engagementId, summary: { pii: 'v1', person: engagementId } } });
    expect(published.find((e) => e.type === 'EngagementPhaseChanged')).toMatchObject({ schemaVersion: 2, data: { reason: { pii: 'v1', person: engagementId } } });
  });

  it('encrypts a capacity-override reason under the new engagement’s key', async () => {
    const busy = (await post(clients, '/assistants', { name: 'Xavi Brandt', email: 'xavi@va.example', timezone: 'Europe/Madrid', weeklyCapacityHours: 1, skills: [], payRate: usd(1200) })).body.id;
    const over = { clientId, assistantId: busy, kind: 'part-time', weeklyHours: 2, startsOn: '2026-03-02', noticePeriodDays: 14, phase: 1, plan: { type: 'hourly', rate: usd(4000) } };
    expect((await post(clients, '/engagements', over, admin, 409)).body.code).toBe('ASSISTANT.CAPACITY_EXCEEDED');
    const extra = (await post(clients, '/engagements', { ...over, capacityOverrideReason: 'Xavi needs the hours for his visa renewal' })).body.id;
    const reserved = await waitUntil(
      async () => (await readTopic(kafka, topic())).map((m) => JSON.parse(m.value!)).find((e) => e.type === 'AssistantCommitmentReserved' && e.data.engagementId === extra),
      { what: 'the reservation on the topic' },
    );
    expect(JSON.stringify(reserved)).not.toContain('visa');
    expect(reserved).toMatchObject({ schemaVersion: 2, data: { assistantId: busy, weeklyHours: 2, capacityOverride: { reason: { pii: 'v1', person: extra } } } });
    const plain = (await readTopic(kafka, topic())).map((m) => JSON.parse(m.value!)).find((e) => e.type === 'AssistantCommitmentReserved' && e.data.engagementId === engagementId);
    expect(plain).toMatchObject({ schemaVersion: 2, data: { capacityOverride: null } });
  });

  it('refuses who may not erase, what is unknown or another agency’s', async () => {
    const forbidden = await request(clients.url).post(`/people/${clientId}/erasure`).set(auth(asClient(clientId))).expect(403);
    expect(forbidden.body.code).toBe('AUTH.FORBIDDEN');
    expect((await request(clients.url).post(`/people/${newId()}/erasure`).set(auth(admin)).expect(404)).body.code).toBe('PERSON.NOT_FOUND');
    expect((await request(clients.url).post(`/people/${clientId}/erasure`).set(auth(otherAgency)).expect(404)).body.code).toBe('PERSON.NOT_FOUND');
  });

  it('erases the client contact and the assistant: erased everywhere, totals unchanged', async () => {
    const key = uniqueName('erase');
    const first = await request(clients.url).post(`/people/${clientId}/erasure`).set(auth(admin)).set('Idempotency-Key', key).expect(202);
    expect(first.body).toMatchObject({ id: clientId, kind: 'client', erasedAt: expect.any(String), position: expect.any(Number) });
    // a replay of the same request answers the first answer; another erasure is refused
    expect((await request(clients.url).post(`/people/${clientId}/erasure`).set(auth(admin)).set('Idempotency-Key', key).expect(202)).body).toEqual(first.body);
    expect((await request(clients.url).post(`/people/${clientId}/erasure`).set(auth(admin)).expect(409)).body.code).toBe('PERSON.ALREADY_ERASED');
    const erasedAssistant = await request(clients.url).post(`/people/${assistantId}/erasure`).set(auth(admin)).expect(202);
    expect(erasedAssistant.body.kind).toBe('assistant');

    const client = (await request(clients.url).get(`/clients/${clientId}?minPosition=${first.body.position}`).set(auth(admin)).expect(200)).body;
    expect(client).toMatchObject({ id: clientId, name: '[erased]', email: null, erased: true, currency: 'USD' });
    const assistant = (await request(clients.url).get(`/assistants/${assistantId}?minPosition=${erasedAssistant.body.position}`).set(auth(admin)).expect(200)).body;
    expect(assistant).toMatchObject({ id: assistantId, name: '[erased]', email: null, erased: true, weeklyCapacityHours: 40, committedWeeklyHours: 2, payRate: usd(1200) });

    const html = await waitUntil(async () => {
      const text = await invoiceHtml(invoiceId);
      return text.includes('[erased]') ? text : undefined;
    }, { what: 'billing to print the client as erased' });
    expect(html).not.toContain('Zelda');
    expect(html).toContain('60.00 USD');
    expect((await request(billing.url).get(`/invoices/${invoiceId}`).set(auth(admin)).expect(200)).body.total.amountMinor).toBe(totalBefore);
    expect(await payout(assistantId)).toEqual(payoutBefore);

    // the engagement's free text went with the assistant's key; its dates, phase and hours stay
    const details = (await request(clients.url).get(`/engagements/${engagementId}`).set(auth(admin)).expect(200)).body;
    expect(JSON.stringify(details)).not.toMatch(/divorce|estate well/);
    expect(details.history.find((h: { type: string }) => h.type === 'CommunicationLogged').data).toMatchObject({ summary: '[erased]', channel: 'call', occurredAt: '2026-03-02T11:00:00.000Z' });
    expect(details).toMatchObject({ phase: 2, weeklyHours: 2, startsOn: '2026-03-02', status: 'active' });
    const history = (await request(clients.url).get(`/engagements/${engagementId}/history`).set(auth(admin)).expect(200)).body;
    expect(JSON.stringify(history)).not.toMatch(/estate well/);
    // what is still recorded on it keeps no text
    await post(clients, `/engagements/${engagementId}/communications`, { channel: 'message', occurredAt: '2026-03-02T11:30:00Z', summary: 'Asked Zelda for the new address' }, admin, 201);
    expect(JSON.stringify((await readTopic(kafka, topic())).map((m) => m.value))).not.toContain('new address');

    const erasures = (await readTopic(kafka, topic())).map((m) => JSON.parse(m.value!)).filter((e) => e.type === 'PersonErased');
    // two streams, maybe two partitions: in no particular order
    expect(erasures.map((e) => e.data).sort((x: { kind: string }, y: { kind: string }) => (x.kind < y.kind ? 1 : -1))).toEqual([
      { personId: clientId, kind: 'client', erasedAt: first.body.erasedAt },
      { personId: assistantId, kind: 'assistant', erasedAt: erasedAssistant.body.erasedAt },
    ]);
  });

  it('reads a v1 ClientRegistered (plaintext in the log) sealed under the client key: the read model keeps only ciphertext', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topic(),
      messages: [{
        key: `client-${legacyClient}`,
        value: JSON.stringify({
          eventId: newId(),
          type: 'ClientRegistered',
          schemaVersion: 1,
          streamId: `client-${legacyClient}`,
          version: 1,
          position: 1_000_000,
          metadata: { agencyId: agency, actor: { sub: 'ops', role: 'agency-admin' }, correlationId: 'legacy', causationId: 'legacy', occurredAt: '2025-06-01T09:00:00.000Z' },
          data: { clientId: legacyClient, name: 'Legacy Lou', email: 'lou@legacy.example', timezone: 'Europe/Paris', currency: 'EUR' },
        }),
      }],
    });
    await producer.disconnect();
    const legacy = await waitUntil(async () => {
      const r = await request(clients.url).get(`/clients/${legacyClient}`).set(auth(admin));
      return r.status === 200 ? r.body : undefined;
    }, { timeoutMs: 30_000, what: 'the v1 client in the directory' });
    expect(legacy).toMatchObject({ name: 'Legacy Lou', email: 'lou@legacy.example' });
    const mongo = new MongoClient(clients.env.MONGO_URL);
    try {
      const doc = await mongo.db(databaseName(clients.env.MONGO_URL, 'clients')).collection('client_directory').findOne({ _id: legacyClient as never });
      expect(doc?.name).toMatchObject({ pii: 'v1', person: legacyClient });
      expect(JSON.stringify(doc)).not.toMatch(/Legacy Lou|lou@legacy/);
    } finally {
      await mongo.close();
    }
  });

  it('erases a client registered before encryption (plaintext in the store, published as v1): sealed on read, then erased', async () => {
    // as an older clients service stored it: the private event with plaintext; its relay publishes it as ClientRegistered v1
    const mongo = new MongoClient(clients.env.MONGO_URL);
    try {
      const store = new MongoEventStore(mongo.db(databaseName(clients.env.MONGO_URL, 'clients')));
      const metadata = { agencyId: agency, actor: { sub: 'ops', role: 'agency-admin' as const }, correlationId: 'old-1', causationId: 'old-1', occurredAt: '2025-06-01T09:00:00.000Z' };
      await store.appendToStream(`client-${oldClient}`, 0, [{ type: 'ClientRegistered', data: { clientId: oldClient, name: 'Olga Oldfield', email: 'olga@old.example', timezone: 'Europe/Berlin', currency: 'EUR' } }], metadata);
    } finally {
      await mongo.close();
    }
    const published = await waitUntil(async () => (await readTopic(kafka, topic())).map((m) => JSON.parse(m.value!)).find((e) => e.type === 'ClientRegistered' && e.data.clientId === oldClient), { timeoutMs: 30_000, what: 'the relay to publish the old registration' });
    expect(published).toMatchObject({ schemaVersion: 1, data: { name: 'Olga Oldfield' } });
    const read = await waitUntil(async () => {
      const r = await request(clients.url).get(`/clients/${oldClient}`).set(auth(admin));
      return r.status === 200 ? r.body : undefined;
    }, { timeoutMs: 30_000, what: 'the old client in the directory' });
    expect(read).toMatchObject({ name: 'Olga Oldfield', email: 'olga@old.example' });
    const erased = await request(clients.url).post(`/people/${oldClient}/erasure`).set(auth(admin)).expect(202);
    expect((await request(clients.url).get(`/clients/${oldClient}?minPosition=${erased.body.position}`).set(auth(admin)).expect(200)).body).toMatchObject({ name: '[erased]', email: null, erased: true, currency: 'EUR' });
  });

  it('rebuilds the clients directory and roster and billing’s facts after the erasure: equal to the live ones, erased', async () => {
    for (const [service, projection, env] of [
      ['clients', 'clients.client-directory', clients.env],
      ['clients', 'clients.assistant-roster', clients.env],
      ['clients', 'clients.engagement-details', clients.env],
      ['billing', 'billing.clients-facts', billing.env],
    ] as const) {
      const out = await runRebuild(service, env, projection);
      expect({ projection, code: out.code, stderr: out.code === 0 ? '' : out.stderr }).toEqual({ projection, code: 0, stderr: '' });
      const [result] = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(result).toMatchObject({ projection, equal: true, swapped: true });
    }
    expect((await request(clients.url).get(`/clients/${clientId}`).set(auth(admin)).expect(200)).body).toMatchObject({ name: '[erased]', email: null, erased: true });
    expect((await request(clients.url).get(`/assistants/${assistantId}`).set(auth(admin)).expect(200)).body).toMatchObject({ name: '[erased]', erased: true, committedWeeklyHours: 2 });
    expect((await request(clients.url).get(`/clients/${legacyClient}`).set(auth(admin)).expect(200)).body).toMatchObject({ name: 'Legacy Lou', email: 'lou@legacy.example' });
    // the old client's v1 event is sealed on replay, and erased: the rebuilt document holds no plaintext
    expect((await request(clients.url).get(`/clients/${oldClient}`).set(auth(admin)).expect(200)).body).toMatchObject({ name: '[erased]', erased: true });
    expect(await invoiceHtml(invoiceId)).toContain('[erased]');
    expect(await payout(assistantId)).toEqual(payoutBefore);
  }, 120_000);
});
