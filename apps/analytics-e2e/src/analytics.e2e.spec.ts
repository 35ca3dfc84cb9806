import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { Topics } from '@vaops/contracts';
import { connectMongo } from '@vaops/mongo';
import { connectPersonKeys } from '@vaops/platform';
import { agencyRoles, bearer, createIn, describeInputHardening, eventEnvelope, readTopic, replayTwice, SEED, startService, testKafka, testServerUrls, uniqueName, untilTimeTrackingKnows, usd, waitUntil, type RunningService } from '@vaops/testing';
import { analyticsProjections } from '@vaops/analytics-service/src/projections';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * The analytics service over HTTP against the real servers, fed ONLY by the public topics of running
 * clients, scheduling, time-tracking and billing services on one topic prefix. Data is created through
 * the other services' public APIs; every figure is checked against values computed by hand below, and
 * revenue, cost, margin and income against what billing itself answers for the same data.
 */
describe('analytics over HTTP', () => {
  let clients: RunningService;
  let scheduling: RunningService;
  let tt: RunningService;
  let billing: RunningService;
  let analytics: RunningService;
  const prefix = `${uniqueName('an').replace(/[^a-zA-Z0-9]/g, '_')}.`;
  const agency = uniqueName('agency-an');
  const { admin, otherAgency, asClient, asAssistant } = agencyRoles(agency);

  const call = async (svc: RunningService, method: 'get' | 'post' | 'put', url: string, body: object | undefined, token: string | null, expected: number | 'ok') => {
    const req = request(svc.url)[method](url);
    if (token) req.set(bearer(token));
    const r = method === 'get' ? await req : await req.send(body ?? {});
    const ok = expected === 'ok' ? r.status < 300 : r.status === expected;
    if (!ok) throw new Error(`${method.toUpperCase()} ${url} answered ${r.status}, expected ${expected}: ${JSON.stringify(r.body)}`);
    return r;
  };
  const an = (url: string, token: string | null = admin, status = 200) => call(analytics, 'get', url, undefined, token, status);
  const post = (svc: () => RunningService, url: string, body: object, token = admin) => call(svc(), 'post', url, body, token, 'ok');
  const setClock = (svc: RunningService, now: string) => call(svc, 'put', '/_test/clock', { now }, admin, 200);
  /** Polls an analytics route until `check` holds of its body (read models are eventually consistent). */
  const eventually = (url: string, check: (body: request.Response['body']) => boolean, what: string, token = admin) =>
    waitUntil(
      async () => {
        const r = await request(analytics.url).get(url).set(bearer(token));
        return r.status === 200 && check(r.body) ? r.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what },
    );

  const newClient = () => createIn(clients, admin, '/clients', SEED.client);
  const newAssistant = (payRate: number, weeklyCapacityHours: number) => createIn(clients, admin, '/assistants', { ...SEED.assistant, weeklyCapacityHours, payRate: usd(payRate) });
  const newEngagement = (clientId: string, assistantId: string, rate: number) => createIn(clients, admin, '/engagements', { clientId, assistantId, ...SEED.engagement, plan: { type: 'hourly', rate: usd(rate) } });
  const log = async (engagementId: string, assistantId: string, startedAt: string, endedAt: string, billable = true) =>
    (await post(() => tt, '/time-entries', { engagementId, category: 'data-entry', startedAt, endedAt, billable }, asAssistant(assistantId))).body.id as string;
  const approveWeek = async (engagementId: string, assistantId: string, clientId: string, week: string) => {
    await post(() => tt, `/timesheets/${engagementId}/${week}/submit`, {}, asAssistant(assistantId));
    await post(() => tt, `/timesheets/${engagementId}/${week}/approve`, {}, asClient(clientId));
  };

  /** The order the read models page in (`_id`, binary), not a locale's. */
  const byCodeUnits = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

  let c1: string, c2: string, a: string, b: string, legacy: string;
  let e1: string, e2: string, e3: string, e4: string;

  beforeAll(async () => {
    [clients, scheduling, tt, billing, analytics] = await Promise.all([
      startService('clients', { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix }),
      startService('scheduling', { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix, VAOPS_SCHEDULER_INTERVAL_MS: '200' }),
      startService('time-tracking', { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix }),
      startService('billing', { VAOPS_TOPIC_PREFIX: prefix }),
      startService('analytics', { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix }),
    ]);
    await Promise.all([
      setClock(clients, '2026-03-02T12:00:00Z'),
      setClock(scheduling, '2026-03-02T00:00:00Z'),
      setClock(tt, '2026-03-20T12:00:00Z'),
      setClock(analytics, '2026-03-20T12:00:00Z'),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([clients?.stop(), scheduling?.stop(), tt?.stop(), billing?.stop(), analytics?.stop()]);
  });

  describeInputHardening(() => analytics.url, '/analytics/utilization', () => admin);

  it('serves the AsyncAPI document and the JSON Schemas without a token, strictly', async () => {
    const doc = await an('/docs/asyncapi.yaml', null);
    expect(doc.headers['content-type']).toMatch(/^application\/yaml/);
    expect(doc.text).toBe(readFileSync(path.join(ROOT, 'docs/asyncapi.yaml'), 'utf8'));
    const schema = await an('/docs/events/clients/AssistantRegistered.v2.schema.json', null);
    expect(schema.headers['content-type']).toMatch(/^application\/schema\+json/);
    expect(JSON.parse(schema.text)).toEqual(JSON.parse(readFileSync(path.join(ROOT, 'libs/contracts/schemas/clients/AssistantRegistered.v2.schema.json'), 'utf8')));
    await an('/docs/events/time-tracking/TimesheetApproved.v1.schema.json', null);
    expect((await an('/docs/events', null)).body.items).toContainEqual(expect.objectContaining({ type: 'AssistantRegistered', schemaVersion: 1, schema: '/docs/events/clients/AssistantRegistered.v1.schema.json' }));
    // unknown: 404; a known type under another service or a version that never existed: 404
    expect((await an('/docs/events/clients/Nothing.v1.schema.json', null, 404)).body.code).toBe('SCHEMA.NOT_FOUND');
    await an('/docs/events/billing/ClientRegistered.v1.schema.json', null, 404);
    await an('/docs/events/clients/ClientRegistered.v9.schema.json', null, 404);
    // anything that is not exactly <service>/<Type>.v<N>.schema.json: 400 naming the part, never a file
    for (const bad of ['/docs/events/clients/..%2F..%2Fpackage.json', '/docs/events/..%2F..%2Fdocs/asyncapi.yaml', '/docs/events/clients/ClientRegistered.v1.json', '/docs/events/a/b/c']) {
      const r = await an(bad, null, 400);
      expect(r.body.code).toBe('VALIDATION.FAILED');
      expect(r.text).not.toContain('"name"');
    }
    expect((await an('/docs/events/clients/..%2Fx', null, 400)).body.errors).toEqual([{ field: 'file', message: expect.any(String) }]);
    // the figures do need a token
    await an('/analytics/utilization?week=2026-W11', null, 401);
  });

  it('builds utilization from logged time (corrections move weeks, adjustments land in their own), upcasting a v1 event and surviving a poison message', async () => {
    [c1, c2] = [await newClient(), await newClient()];
    [a, b] = [await newAssistant(1200, 40), await newAssistant(1500, 20)];
    [e1, e2, e3, e4] = [await newEngagement(c1, a, 4000), await newEngagement(c2, a, 3000), await newEngagement(c2, b, 4000), await newEngagement(c1, b, 4000)];

    const kafka = testKafka();
    const producer = kafka.producer();
    await producer.connect();
    // a message that is no event at all, on a topic analytics reads: it goes to the DLQ, the partition moves on
    await producer.send({ topic: `${prefix}${Topics.timeTracking}`, messages: [{ key: 'poison', value: '{not json' }] });
    // an assistant registered long ago, as the clients service published it then: v1, capacity in hours
    legacy = randomUUID();
    await producer.send({
      topic: `${prefix}${Topics.clients}`,
      messages: [
        {
          key: `assistant-${legacy}`,
          value: JSON.stringify(
            eventEnvelope(
              'AssistantRegistered',
              { assistantId: legacy, name: 'Old VA', email: 'old@x.co', timezone: 'Europe/London', weeklyCapacityHours: 30, skills: [], payRate: usd(1000), workingHours: [] },
              { streamId: `assistant-${legacy}`, version: 1, eventId: randomUUID(), agencyId: agency, actor: { sub: 'legacy-import', role: 'system' }, correlationId: 'legacy', occurredAt: '2026-02-02T09:00:00.000Z' },
            ),
          ),
        },
      ],
    });
    await producer.disconnect();

    for (const e of [e1, e2, e3]) {
      await untilTimeTrackingKnows(tt, admin, e);
    }
    // week 2026-W11 is Mon 9 to Sun 15 March (London is on UTC until 29 March)
    await log(e1, a, '2026-03-09T10:00:00Z', '2026-03-09T11:30:00Z'); // 90
    const short = await log(e1, a, '2026-03-10T10:00:00Z', '2026-03-10T10:07:00Z'); // 7
    await log(e1, a, '2026-03-11T10:00:00Z', '2026-03-11T10:30:00Z', false); // 30, not billable
    await log(e2, a, '2026-03-12T10:00:00Z', '2026-03-12T10:45:00Z'); // 45
    const moved = await log(e3, b, '2026-03-11T10:00:00Z', '2026-03-11T11:00:00Z'); // 60 in W11 ...
    // ... corrected before approval to 75 minutes on Monday 16 March: it moves to W12
    await call(tt, 'put', `/time-entries/${moved}`, { category: 'data-entry', startedAt: '2026-03-16T10:00:00Z', endedAt: '2026-03-16T11:15:00Z', billable: true }, asAssistant(b), 200);
    await log(e3, b, '2026-03-11T14:00:00Z', '2026-03-11T14:20:00Z'); // 20
    await approveWeek(e1, a, c1, '2026-W11');
    await approveWeek(e2, a, c2, '2026-W11');
    await approveWeek(e3, b, c2, '2026-W11');
    await approveWeek(e3, b, c2, '2026-W12');
    // the approved 7 minutes were really 20, on Monday 16 March: an adjusting entry of +13 in W12
    await post(() => tt, `/time-entries/${short}/adjustments`, { category: 'data-entry', startedAt: '2026-03-16T12:00:00Z', endedAt: '2026-03-16T12:20:00Z', billable: true, reason: 'forgot' }, asAssistant(a));
    await approveWeek(e1, a, c1, '2026-W12');

    const row = (assistantId: string, week: string, loggedMinutes: number, capacityMinutes: number, utilization: number) => ({ assistantId, week, loggedMinutes, capacityMinutes, utilization });
    // W11: a 90 + 7 + 30 + 45 = 172 of 2400 (40 h) = 0.07166… -> 0.0717; b 20 of 1200 = 0.01666… -> 0.0167;
    // the v1 assistant: 30 h upcast to 1800 minutes, nothing logged
    const expectedW11 = [row(a, '2026-W11', 172, 2400, 0.0717), row(b, '2026-W11', 20, 1200, 0.0167), row(legacy, '2026-W11', 0, 1800, 0)].sort((x, y) => byCodeUnits(x.assistantId, y.assistantId));
    const w11 = await eventually('/analytics/utilization?week=2026-W11', (body) => JSON.stringify(body.items) === JSON.stringify(expectedW11), 'utilization of W11');
    expect(w11).toEqual({ items: expectedW11, nextCursor: null });
    // W12: a +13 (the adjustment, in its own week) = 0.005416… -> 0.0054; b 75 (the corrected entry) = 0.0625
    const expectedW12 = [row(a, '2026-W12', 13, 2400, 0.0054), row(b, '2026-W12', 75, 1200, 0.0625), row(legacy, '2026-W12', 0, 1800, 0)].sort((x, y) => byCodeUnits(x.assistantId, y.assistantId));
    await eventually('/analytics/utilization?week=2026-W12', (body) => JSON.stringify(body.items) === JSON.stringify(expectedW12), 'utilization of W12');
    // nobody of this agency was registered by W05 but the v1 assistant (2 February 2026 is in W06): none
    expect((await an('/analytics/utilization?week=2026-W05')).body.items).toEqual([]);
    expect((await an('/analytics/utilization?week=2026-W06')).body.items).toEqual([row(legacy, '2026-W06', 0, 1800, 0)]);

    // pages of one, in assistant id order
    const first = await an('/analytics/utilization?week=2026-W11&limit=2');
    expect(first.body.items).toEqual(expectedW11.slice(0, 2));
    const second = await an(`/analytics/utilization?week=2026-W11&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ items: expectedW11.slice(2), nextCursor: null });
    // an assistant sees their own row only; a client may not ask; another agency sees nothing
    expect((await an('/analytics/utilization?week=2026-W11', asAssistant(b))).body.items).toEqual([row(b, '2026-W11', 20, 1200, 0.0167)]);
    expect((await an('/analytics/utilization?week=2026-W11', asClient(c1), 403)).body.code).toBe('AUTH.FORBIDDEN');
    expect((await an('/analytics/utilization?week=2026-W11', otherAgency)).body.items).toEqual([]);
    for (const bad of ['', '?week=2026-11', '?week=2025-W53', '?week=2026-W11x']) {
      expect((await an(`/analytics/utilization${bad}`, admin, 400)).body.errors).toEqual([{ field: 'week', message: expect.any(String) }]);
    }
    await an('/analytics/utilization?week=2026-W11&cursor=nope!', admin, 400);

    // the poison message went to the dead-letter topic, from analytics' consumer too
    const dlq = await waitUntil(
      async () => {
        const ms = await readTopic(testKafka(), `${prefix}${Topics.timeTracking}.dlq`);
        return ms.find((m) => m.headers['dlq-consumer-group'] === `${prefix}analytics.analytics.time`);
      },
      { timeoutMs: 30_000, what: 'the poison message on the DLQ' },
    );
    expect(dlq).toMatchObject({ key: 'poison', value: '{not json' });
    expect(dlq.headers['dlq-error']).toMatch(/not JSON/);
    // metrics as in every service: the dead letter and each projection's position
    const metrics = await waitUntil(async () => {
      const text = (await an('/metrics', null)).text;
      return text.includes(`vaops_dlq_messages_total{topic="${prefix}${Topics.timeTracking}"} 1`) ? text : undefined;
    }, { what: 'the dead letter in the metrics' });
    expect(metrics).toContain('vaops_projection_position{projection="analytics.time"');
  });

  it('computes revenue, cost and margin per client by billing’s rule, and agrees with billing', async () => {
    // billing must have every approval before its run (payouts: a 90 + 7 + 45 + 13 = 155, b 20 + 75 = 95)
    const payout = async (assistantId: string) => (await request(billing.url).get(`/payouts?period=2026-03&assistantId=${assistantId}`).set(bearer(admin))).body.items?.[0];
    await waitUntil(async () => (await payout(a))?.billedMinutes === 155 && (await payout(b))?.billedMinutes === 95, { timeoutMs: 30_000, what: 'billing to learn the approved time' });
    const run = await waitUntil(
      async () => {
        const r = (await post(() => billing, '/billing-runs', { period: '2026-03' })).body;
        return [c1, c2].every((c) => r.invoices.some((i: { clientId: string }) => i.clientId === c)) ? r : undefined;
      },
      { timeoutMs: 30_000, what: 'a billing run invoicing both clients' },
    );
    const invoiceOf = (clientId: string) => run.invoices.find((i: { clientId: string }) => i.clientId === clientId).id as string;
    // c1: e1 110 min (90 + 7 + 13; the 30 are not billable) at 40.00/h = 7333.33 -> 7333, plus e4 0.00
    // c2: e2 45 min at 30.00/h = 2250, e3 95 min at 40.00/h = 6333.33 -> 6333: 8583
    const issued1 = await post(() => billing, `/invoices/${invoiceOf(c1)}/issue`, {});
    expect(issued1.body.total).toEqual(usd(7333));
    await post(() => billing, `/invoices/${invoiceOf(c1)}/pay`, {});
    expect((await post(() => billing, `/invoices/${invoiceOf(c2)}/issue`, {})).body.total).toEqual(usd(8583));
    await post(() => billing, `/invoices/${invoiceOf(c2)}/credit-notes`, { amount: usd(500), reason: 'goodwill' });

    // c1: revenue 7333; cost a 110 min × 12.00/h = 2200; margin 5133 = 69.9986 % -> 70
    const r1 = await eventually(`/analytics/clients/${c1}/revenue?period=2026-03`, (x) => x.revenue?.amountMinor === 7333 && x.cost?.amountMinor === 2200, 'revenue of c1');
    expect(r1).toEqual({ clientId: c1, period: '2026-03', currency: 'USD', revenue: usd(7333), cost: usd(2200), margin: usd(5133), marginPercent: 70 });
    // c2: revenue 8583 - 500 (credit note) = 8083; cost a 45 min × 12.00/h = 900 + b 95 min × 15.00/h = 2375: 3275;
    // margin 4808 = 59.4829 % -> 59.48
    const r2 = await eventually(`/analytics/clients/${c2}/revenue?period=2026-03`, (x) => x.revenue?.amountMinor === 8083 && x.cost?.amountMinor === 3275, 'revenue of c2 with the credit note');
    expect(r2).toEqual({ clientId: c2, period: '2026-03', currency: 'USD', revenue: usd(8083), cost: usd(3275), margin: usd(4808), marginPercent: 59.48 });
    // the whole year holds only March; February nothing
    expect((await an(`/analytics/clients/${c2}/revenue?period=2026`)).body).toEqual({ ...r2, period: '2026' });
    expect((await an(`/analytics/clients/${c2}/revenue?period=2026-02`)).body).toEqual({ clientId: c2, period: '2026-02', currency: 'USD', revenue: usd(0), cost: usd(0), margin: usd(0), marginPercent: null });

    // the same data, as billing answers it: the same revenue, cost and margin to the cent
    const margins = await waitUntil(
      async () => {
        const m = (await request(billing.url).get('/margins?period=2026-03').set(bearer(admin))).body;
        return m.clients?.find((x: { clientId: string }) => x.clientId === c2)?.revenue.amountMinor === 8083 ? m : undefined;
      },
      { what: 'billing margins with the credit note' },
    );
    for (const [c, r] of [
      [c1, r1],
      [c2, r2],
    ] as const) {
      expect(margins.clients.find((x: { clientId: string }) => x.clientId === c)).toEqual({ clientId: c, revenue: r.revenue, cost: r.cost, margin: r.margin });
    }

    // agency only: a client about itself 403, about another client 404; an assistant 403
    expect((await an(`/analytics/clients/${c1}/revenue?period=2026-03`, asClient(c1), 403)).body.code).toBe('AUTH.FORBIDDEN');
    expect((await an(`/analytics/clients/${c2}/revenue?period=2026-03`, asClient(c1), 404)).body.code).toBe('CLIENT.NOT_FOUND');
    await an(`/analytics/clients/${c1}/revenue?period=2026-03`, asAssistant(a), 403);
    await an(`/analytics/clients/${c1}/revenue?period=2026-03`, otherAgency, 404);
    await an(`/analytics/clients/${randomUUID()}/revenue?period=2026-03`, admin, 404);
    for (const bad of ['', '?period=2026-3', '?period=2026-13', '?period=26']) {
      expect((await an(`/analytics/clients/${c1}/revenue${bad}`, admin, 400)).body.errors).toEqual([{ field: 'period', message: expect.any(String) }]);
    }
  });

  it('shows how concentrated an assistant’s income is, and agrees with billing’s payouts', async () => {
    // a: c1 110, c2 45 of 155 approved billable minutes: 0.709677… -> 0.7097 and 0.290322… -> 0.2903;
    // income 155 min × 12.00/h = 3100
    const conc = await an(`/analytics/assistants/${a}/concentration?period=2026-03`);
    expect(conc.body).toEqual({
      assistantId: a,
      period: '2026-03',
      totalBilledMinutes: 155,
      income: usd(3100),
      clients: [
        { clientId: c1, billedMinutes: 110, share: 0.7097 },
        { clientId: c2, billedMinutes: 45, share: 0.2903 },
      ],
      largestClientShare: 0.7097,
    });
    const payouts = (await request(billing.url).get('/payouts?period=2026-03').set(bearer(admin))).body.items;
    expect(payouts.find((p: { assistantId: string }) => p.assistantId === a)).toEqual({ assistantId: a, period: '2026-03', billedMinutes: 155, amount: conc.body.income });
    // b: one client, 95 min × 15.00/h = 2375; the year is the same; the assistant may see their own
    const own = await an(`/analytics/assistants/${b}/concentration?period=2026`, asAssistant(b));
    expect(own.body).toEqual({ assistantId: b, period: '2026', totalBilledMinutes: 95, income: usd(2375), clients: [{ clientId: c2, billedMinutes: 95, share: 1 }], largestClientShare: 1 });
    expect(payouts.find((p: { assistantId: string }) => p.assistantId === b).amount).toEqual(usd(2375));
    // no approved time: no clients, largest share 0
    expect((await an(`/analytics/assistants/${legacy}/concentration?period=2026-03`)).body).toEqual({ assistantId: legacy, period: '2026-03', totalBilledMinutes: 0, income: usd(0), clients: [], largestClientShare: 0 });
    expect((await an(`/analytics/assistants/${a}/concentration?period=2026-03`, asAssistant(b), 404)).body.code).toBe('ASSISTANT.NOT_FOUND');
    await an(`/analytics/assistants/${a}/concentration?period=2026-03`, asClient(c1), 403);
    await an(`/analytics/assistants/${a}/concentration?period=2026-03`, otherAgency, 404);
    await an(`/analytics/assistants/${randomUUID()}/concentration?period=2026-03`, admin, 404);
    expect((await an(`/analytics/assistants/${a}/concentration?period=March`, admin, 400)).body.errors).toEqual([{ field: 'period', message: expect.any(String) }]);
    // a page of assistants in one read (the team view): each equal to its own answer; unknown ids left out
    const page = (await an(`/analytics/assistants/concentration?period=2026-03&assistantIds=${a},${legacy},${randomUUID()},${b}`)).body.items;
    expect(page).toEqual([conc.body, (await an(`/analytics/assistants/${legacy}/concentration?period=2026-03`)).body, (await an(`/analytics/assistants/${b}/concentration?period=2026-03`)).body]);
    await an(`/analytics/assistants/concentration?period=2026-03&assistantIds=${b}`, asAssistant(b), 403);
    await an('/analytics/assistants/concentration?period=2026-03', admin, 400);
    await an(`/analytics/assistants/concentration?period=2026-03&assistantIds=${Array.from({ length: 101 }, () => randomUUID()).join(',')}`, admin, 400);
  });

  it('counts reliability the way scheduling does, for the part each party may see', async () => {
    await waitUntil(async () => (await request(scheduling.url).get(`/engagements/${e1}/scheduling-policy`).set(bearer(admin))).status === 200, { timeoutMs: 30_000, what: 'scheduling to learn e1' });
    for (const q of [`clientId=${c1}`, `assistantId=${a}`]) {
      await waitUntil(async () => (await request(scheduling.url).get(`/agenda?date=2026-03-02&${q}`).set(bearer(admin))).status === 200, { timeoutMs: 30_000, what: `scheduling to learn ${q}` });
    }
    const book = async (startsAt: string, endsAt: string) => (await post(() => scheduling, '/appointments', { engagementId: e1, kind: 'check-in', startsAt, endsAt })).body.id as string;
    const x = await book('2026-03-10T10:00:00Z', '2026-03-10T10:30:00Z');
    const y = await book('2026-03-03T10:00:00Z', '2026-03-03T10:30:00Z');
    const z = await book('2026-03-04T10:00:00Z', '2026-03-04T10:30:00Z');
    const w = await book('2026-03-04T11:00:00Z', '2026-03-04T11:30:00Z');
    // the assistant moves x a week ahead: in time
    await post(() => scheduling, `/appointments/${x}/reschedule`, { startsAt: '2026-03-10T11:00:00Z', endsAt: '2026-03-10T11:30:00Z', reason: 'clash' }, asAssistant(a));
    // the client cancels y 22 h ahead: late, but it never counts against the assistant
    await setClock(scheduling, '2026-03-02T12:00:00Z');
    await post(() => scheduling, `/appointments/${y}/cancel`, { reason: 'sick' }, asClient(c1));
    // the assistant cancels z 30 min ahead: late
    await setClock(scheduling, '2026-03-04T09:30:00Z');
    await post(() => scheduling, `/appointments/${z}/cancel`, { reason: 'overslept' }, asAssistant(a));
    // w ends unkept: a no-show
    await setClock(scheduling, '2026-03-04T12:00:00Z');
    await waitUntil(async () => (await request(scheduling.url).get(`/appointments/${w}`).set(bearer(admin))).body.status === 'no-show', { timeoutMs: 30_000, what: 'the no-show' });
    await setClock(scheduling, '2026-03-10T11:10:00Z');
    await post(() => scheduling, `/appointments/${x}/kept`, {}, asAssistant(a));

    const expected = { kept: 1, rescheduledInTime: 1, rescheduledLate: 0, cancelledInTime: 0, cancelledLate: 1, noShow: 1 };
    const mine = await eventually(`/analytics/assistants/${a}/reliability`, (r) => r.kept === 1 && r.noShow === 1 && r.cancelledLate === 1, 'reliability of a');
    expect(mine).toEqual({ assistantId: a, period: null, ...expected });
    // scheduling's own record of the same appointments
    await waitUntil(async () => JSON.stringify((await request(scheduling.url).get(`/assistants/${a}/reliability`).set(bearer(admin))).body) === JSON.stringify(expected), { what: 'the same record from scheduling' });
    expect((await an(`/analytics/assistants/${a}/reliability?period=2026-03`)).body).toEqual({ assistantId: a, period: '2026-03', ...expected });
    expect((await an(`/analytics/assistants/${a}/reliability?period=2026-02`)).body).toEqual({ assistantId: a, period: '2026-02', kept: 0, rescheduledInTime: 0, rescheduledLate: 0, cancelledInTime: 0, cancelledLate: 0, noShow: 0 });
    // the assistant; the client of these appointments; c2 (an engagement with a, none of these appointments) sees zeros
    expect((await an(`/analytics/assistants/${a}/reliability`, asAssistant(a))).body).toMatchObject(expected);
    expect((await an(`/analytics/assistants/${a}/reliability`, asClient(c1))).body).toMatchObject(expected);
    expect((await an(`/analytics/assistants/${a}/reliability`, asClient(c2))).body).toMatchObject({ kept: 0, noShow: 0, cancelledLate: 0 });
    await an(`/analytics/assistants/${a}/reliability`, asAssistant(b), 404);
    await an(`/analytics/assistants/${legacy}/reliability`, asClient(c1), 404);
    await an(`/analytics/assistants/${a}/reliability`, otherAgency, 404);
    await an(`/analytics/assistants/${a}/reliability?period=2026-3`, admin, 400);
    // the team view's list: the same counts, kept by the projection, for a page of assistants at once
    expect((await an(`/analytics/assistants/reliability?assistantIds=${a},${legacy},${randomUUID()}`)).body.items).toEqual([
      { assistantId: a, ...expected },
      { assistantId: legacy, kept: 0, rescheduledInTime: 0, rescheduledLate: 0, cancelledInTime: 0, cancelledLate: 0, noShow: 0 },
    ]);
    await an(`/analytics/assistants/reliability?assistantIds=${a}`, asAssistant(a), 403);
    expect((await an(`/analytics/assistants/reliability?assistantIds=${a}`, otherAgency)).body.items).toEqual([]);
  });

  it('shows engagement tenure and phase progression to the parties', async () => {
    // e4 (c1 with b): promoted from phase 1 to 3 on 5 March (2 skipped), broken off on 16 March
    await setClock(clients, '2026-03-05T09:00:00Z');
    await post(() => clients, `/engagements/${e4}/phase`, { phase: 3, reason: 'trusted quickly' });
    await setClock(clients, '2026-03-16T10:00:00Z');
    await post(() => clients, `/engagements/${e4}/breach`, { by: 'client', reason: 'moved on' });
    // e2: the client gives notice on 16 March, 14 days: ends 30 March
    await post(() => clients, `/engagements/${e2}/notice`, { by: 'client', reason: 'budget' });

    // analytics' clock says 20 March: e4 ran 14 days (2 to 16 March); e1 and e2 18 days so far
    const t4 = await eventually(`/analytics/engagements/${e4}/tenure`, (x) => x.status === 'ended', 'tenure of e4');
    expect(t4).toEqual({
      engagementId: e4,
      clientId: c1,
      assistantId: b,
      status: 'ended',
      startsOn: '2026-03-02',
      endedOn: '2026-03-16',
      endedBy: 'breach',
      notice: null,
      tenureDays: 14,
      phases: [
        { phase: 1, from: '2026-03-02T12:00:00.000Z', skipped: [] },
        { phase: 3, from: '2026-03-05T09:00:00.000Z', skipped: [2] },
      ],
    });
    const t2 = await eventually(`/analytics/engagements/${e2}/tenure`, (x) => x.status === 'in-notice', 'notice on e2', asAssistant(a));
    expect(t2).toMatchObject({ engagementId: e2, endedOn: null, tenureDays: 18, notice: { by: 'client', endsOn: '2026-03-30' } });
    await setClock(analytics, '2026-03-25T08:00:00Z');
    expect((await an(`/analytics/engagements/${e1}/tenure`, asClient(c1))).body).toMatchObject({ status: 'active', tenureDays: 23 });
    expect((await an(`/analytics/engagements/${e4}/tenure`)).body.tenureDays).toBe(14);

    await an(`/analytics/engagements/${e4}/tenure`, asClient(c2), 404);
    await an(`/analytics/engagements/${e4}/tenure`, asAssistant(a), 404);
    await an(`/analytics/engagements/${e4}/tenure`, otherAgency, 404);
    await an(`/analytics/engagements/${randomUUID()}/tenure`, admin, 404);

    // lists, paginated by engagement id, scoped to the caller
    const byId = (ids: string[]) => [...ids].sort();
    const ofB = await an(`/analytics/engagements?assistantId=${b}`);
    expect(ofB.body.items.map((i: { engagementId: string }) => i.engagementId)).toEqual(byId([e3, e4]));
    const page1 = await an(`/analytics/engagements?clientId=${c1}&limit=1`);
    const page2 = await an(`/analytics/engagements?clientId=${c1}&limit=1&cursor=${page1.body.nextCursor}`);
    expect([...page1.body.items, ...page2.body.items].map((i: { engagementId: string }) => i.engagementId)).toEqual(byId([e1, e4]));
    expect(page2.body.nextCursor).toBeNull();
    expect((await an('/analytics/engagements', asClient(c2))).body.items.map((i: { engagementId: string }) => i.engagementId)).toEqual(byId([e2, e3]));
    expect((await an(`/analytics/engagements?clientId=${c1}`, asClient(c2))).body.items).toEqual([]);
    expect((await an('/analytics/engagements', asAssistant(a))).body.items.map((i: { engagementId: string }) => i.engagementId)).toEqual(byId([e1, e2]));
    expect((await an('/analytics/engagements', otherAgency)).body.items).toEqual([]);
    await an('/analytics/engagements?limit=0', admin, 400);
  });

  it('owns no event store and no topic, and its read models are idempotent: every event applied twice changes nothing the second time', async () => {
    const conn = await connectMongo(analytics.env.MONGO_URL, new URL(analytics.env.MONGO_URL).pathname.slice(1));
    try {
      const names = (await conn.db!.listCollections().toArray()).map((c) => c.name);
      expect(names).toEqual(expect.arrayContaining(['an_assistants', 'an_logged_entries', 'an_invoices', 'an_appointments', 'projection_checkpoints']));
      expect(names).not.toContain('events');
      expect(names).not.toContain('counters');
    } finally {
      await conn.close();
    }
    const kafkaAdmin = testKafka().admin();
    await kafkaAdmin.connect();
    const topics = await kafkaAdmin.listTopics();
    await kafkaAdmin.disconnect();
    expect(topics.filter((t) => t.startsWith(prefix) && t.includes('analytics'))).toEqual([]);

    // the services' keyring: the v1 registration above carried plaintext, sealed on replay as live
    const keyring = await connectPersonKeys({ mongoUrl: testServerUrls().mongoUrl, environment: 'test' });
    const { first, second, events, undecodable } = await replayTwice(analyticsProjections(prefix, keyring.keys)).finally(() => keyring.close());
    expect(events).toBeGreaterThan(40);
    expect(undecodable).toBe(1); // the poison message, dead-lettered live too
    expect(second).toEqual(first);
  });
});
