import request from 'supertest';
import { agencyRoles, bearer, createIn, describeInputHardening, dieInFlight, readTopic, replayTwice, SEED, setTestClock, suiteServices, testKafka, uniqueName, untilTimeTrackingKnows, usd, waitUntil, type RunningService } from '@vaops/testing';
import { billingProjections } from '@vaops/billing-service/src/projections';

/**
 * The billing service over HTTP against the real servers, fed by running clients and time-tracking
 * services on one topic prefix: approved time becomes invoices, payouts and margins, checked against
 * totals computed by hand.
 */
describe('billing over HTTP', () => {
  const [clients, tt, billing] = suiteServices(['clients', 'time-tracking', 'billing'], { VAOPS_TEST_CLOCK: '1' });
  const agency = uniqueName('agency-b');
  const { admin, adminClaims, otherAgency, asClient, asAssistant } = agencyRoles(agency);

  const call = async (svc: () => RunningService, method: 'get' | 'post', path: string, body: object | undefined, token: string, status: number) => {
    const req = request(svc().url)[method](path).set(bearer(token));
    const r = method === 'post' ? await req.send(body ?? {}) : await req;
    if (r.status !== status) throw new Error(`${method.toUpperCase()} ${path} answered ${r.status}, expected ${status}: ${JSON.stringify(r.body)}`);
    return r;
  };
  const bl = {
    get: (path: string, token = admin, status = 200) => call(() => billing, 'get', path, undefined, token, status),
    post: (path: string, body: object = {}, token = admin, status = 200) => call(() => billing, 'post', path, body, token, status),
  };
  const cl = (path: string, body: object) => createIn(clients, admin, path, body);
  const ttPost = (path: string, body: object, token: string, status = 201) => call(() => tt, 'post', path, body, token, status);

  const newClient = (name = 'Client') => cl('/clients', { ...SEED.client, name });
  const newAssistant = (payRate: number) => cl('/assistants', { ...SEED.assistant, payRate: usd(payRate) });
  const hourly = { type: 'hourly', rate: usd(4000) };
  const retainer = { type: 'retainer', monthlyFee: usd(100000), includedHours: 1, overageRate: usd(5000), rollover: false };
  const newEngagement = async (clientId: string, assistantId: string, plan: object, waitForTimeTracking = true) => {
    const id = await cl('/engagements', { clientId, assistantId, ...SEED.engagement, plan });
    if (waitForTimeTracking) await untilTimeTrackingKnows(tt, admin, id);
    return id;
  };
  const log = (engagementId: string, assistantId: string, startedAt: string, endedAt: string) =>
    ttPost('/time-entries', { engagementId, category: 'data-entry', startedAt, endedAt, billable: true }, asAssistant(assistantId));
  const approveWeek = async (engagementId: string, assistantId: string, clientId: string, week: string) => {
    await ttPost(`/timesheets/${engagementId}/${week}/submit`, {}, asAssistant(assistantId), 200);
    await ttPost(`/timesheets/${engagementId}/${week}/approve`, {}, asClient(clientId), 200);
  };
  const payoutOf = async (assistantId: string) => (await bl.get(`/payouts?period=2026-03&assistantId=${assistantId}`)).body.items[0];

  let c1: string, c2: string, a: string, b: string, e1: string;
  const extra: string[] = [];
  let invoices: Record<string, { id: string; number: string | null; total: { amountMinor: number }; status: string; lines: { engagementId: string; amount: { amountMinor: number } }[] }> = {};

  beforeAll(async () => {
    await setTestClock(clients, admin, '2026-03-02T12:00:00Z');
    await setTestClock(tt, admin, '2026-03-20T12:00:00Z');
  }, 120_000);

  describeInputHardening(() => billing.url, '/billing-runs', () => admin);

  it('drafts one invoice per client from approved time, once, with totals computed by hand', async () => {
    [c1, c2, a, b] = [await newClient('Acme <b>&</b> "Co"'), await newClient(), await newAssistant(1200), await newAssistant(1500)];
    e1 = await newEngagement(c1, a, hourly);
    const e2 = await newEngagement(c2, b, retainer);
    // hourly: 90 + 7 = 97 min at 4000/h = 6466.67 -> 6467
    await log(e1, a, '2026-03-09T10:00:00Z', '2026-03-09T11:30:00Z');
    await log(e1, a, '2026-03-10T10:00:00Z', '2026-03-10T10:07:00Z');
    // retainer from 2 March: fee 100000 x 30/31 = 96774.19 -> 96774; included 60 x 30/31 = 58 min;
    // 90 min used: overage 32 min at 5000/h = 2666.67 -> 2667; total 99441
    await log(e2, b, '2026-03-11T10:00:00Z', '2026-03-11T11:30:00Z');
    // logged but never approved: not billed
    await log(e1, a, '2026-03-17T10:00:00Z', '2026-03-17T11:00:00Z');
    await approveWeek(e1, a, c1, '2026-W11');
    await approveWeek(e2, b, c2, '2026-W11');
    for (let i = 0; i < 3; i++) {
      const c = await newClient();
      extra.push(c);
      await newEngagement(c, a, hourly, false);
    }

    await waitUntil(async () => (await payoutOf(a))?.billedMinutes === 97 && (await payoutOf(b))?.billedMinutes === 90, { timeoutMs: 30_000, what: 'billing to learn the approved time' });
    await bl.post('/billing-runs', { period: '2026-03' }, asClient(c1), 403);
    await bl.post('/billing-runs', { period: '2026-3' }, admin, 400);
    const all = [c1, c2, ...extra];
    const run = await waitUntil(
      async () => {
        const r = (await bl.post('/billing-runs', { period: '2026-03' }, admin, 201)).body;
        return all.every((c) => r.invoices.some((i: { clientId: string }) => i.clientId === c)) ? r : undefined;
      },
      { timeoutMs: 30_000, what: 'a billing run that invoices every client' },
    );
    expect(run.failed).toEqual([]);
    // a re-run never makes a second invoice for the same client and period
    const again = (await bl.post('/billing-runs', { period: '2026-03' }, admin, 201)).body;
    expect(again.invoices.filter((i: { drafted: boolean }) => i.drafted)).toEqual([]);
    expect(again.invoices.map((i: { id: string }) => i.id).sort()).toEqual(run.invoices.map((i: { id: string }) => i.id).sort());

    const list = await waitUntil(async () => {
      const r = await bl.get('/invoices?period=2026-03');
      return r.body.items.length === all.length ? r.body.items : undefined;
    }, { what: 'the invoice list' });
    invoices = Object.fromEntries(list.map((i: { clientId: string }) => [i.clientId, i]));
    expect(invoices[c1]).toMatchObject({ number: null, period: '2026-03', status: 'draft', currency: 'USD', total: usd(6467), version: 1 });
    expect(invoices[c1].lines).toEqual([{ engagementId: e1, description: expect.stringContaining('1h37'), amount: usd(6467) }]);
    expect(invoices[c2]).toMatchObject({ total: usd(99441), lines: [{ engagementId: e2, description: expect.any(String), amount: usd(99441) }] });
    for (const c of extra) expect(invoices[c].total).toEqual(usd(0));

    const one = await bl.get(`/invoices/${invoices[c1].id}`, asClient(c1));
    expect(one.body).toMatchObject({ id: invoices[c1].id, clientId: c1, total: usd(6467), status: 'draft' });
    expect(one.headers.etag).toBe('"1"');
    expect((await bl.get('/invoices', asClient(c1))).body.items.map((i: { id: string }) => i.id)).toEqual([invoices[c1].id]);
    expect((await bl.get(`/invoices?clientId=${c2}`, asClient(c1))).body.items).toEqual([]);
    await bl.get(`/invoices/${invoices[c1].id}`, asClient(c2), 404);
    await bl.get(`/invoices/${invoices[c1].id}`, otherAgency, 404);
    await bl.get(`/invoices/${invoices[c1].id}`, asAssistant(a), 403);
    expect((await bl.get('/invoices', otherAgency)).body.items).toEqual([]);

    // paged when asked: pages of two, in the list's order, together the whole list; a forged cursor is a 400
    const pages: { id: string }[][] = [];
    let cursor: string | null = null;
    do {
      const r = (await bl.get(`/invoices?period=2026-03&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body as { items: { id: string }[]; nextCursor: string | null };
      pages.push(r.items);
      cursor = r.nextCursor;
    } while (cursor && pages.length < 50);
    expect(pages.every((p) => p.length <= 2)).toBe(true);
    expect(pages.flat().map((i) => i.id)).toEqual(list.map((i: { id: string }) => i.id));
    expect((await bl.get('/invoices?period=2026-03')).body.nextCursor).toBeNull();
    const forged = await bl.get(`/invoices?limit=2&cursor=${Buffer.from(JSON.stringify({ $gt: '' })).toString('base64url')}`, admin, 400);
    expect(JSON.stringify(forged.body)).toContain('cursor');
    await bl.get('/invoices?limit=0', admin, 400);
  });

  it('issues gap-free numbers under parallel issue requests, pays, voids and credits without editing', async () => {
    const ids = Object.values(invoices).map((i) => i.id);
    await bl.post(`/invoices/${ids[0]}/issue`, {}, asClient(c1), 403);
    // a stale If-Match is refused before a number is drawn, so the numbers below stay gap-free
    const stale = await request(billing.url).post(`/invoices/${ids[0]}/issue`).set(bearer(admin)).set('If-Match', '"9"').expect(409);
    expect(stale.body.code).toBe('CONCURRENCY.CONFLICT');
    await bl.post(`/invoices/${invoices[c1].id}/pay`, {}, admin, 409);
    const issued = await Promise.all(ids.map((id) => request(billing.url).post(`/invoices/${id}/issue`).set(bearer(admin))));
    expect(issued.map((r) => r.status)).toEqual(ids.map(() => 200));
    const year = new Date().getUTCFullYear();
    const numbers = issued.map((r) => r.body.number as string).sort();
    expect(numbers).toEqual(ids.map((_, i) => `INV-${year}-${String(i + 1).padStart(6, '0')}`));
    // a retried issue keeps its number
    const retried = await bl.post(`/invoices/${invoices[c1].id}/issue`);
    expect(retried.body.number).toBe(issued[ids.indexOf(invoices[c1].id)].body.number);

    const issuedVersion = Number((await bl.get(`/invoices/${invoices[c1].id}`)).headers.etag.replace(/"/g, ''));
    await request(billing.url).post(`/invoices/${invoices[c1].id}/pay`).set(bearer(admin)).set('If-Match', `"${issuedVersion - 1}"`).expect(409);
    expect((await request(billing.url).post(`/invoices/${invoices[c1].id}/pay`).set(bearer(admin)).set('If-Match', `"${issuedVersion}"`).expect(200)).body).toMatchObject({ status: 'paid', total: usd(6467) });
    expect((await bl.post(`/invoices/${invoices[c1].id}/void`, { reason: 'oops' }, admin, 409)).body.code).toBe('INVOICE.PAID');
    // a credit note (Idempotency-Key, If-Match) whose process died before storing its answer: retried, it is credited once
    const key = `credit-${invoices[c2].id}`;
    const issuedTag = (await bl.get(`/invoices/${invoices[c2].id}`)).headers.etag;
    const creditNote = () =>
      request(billing.url).post(`/invoices/${invoices[c2].id}/credit-notes`).set(bearer(admin)).set('Idempotency-Key', key).set('If-Match', issuedTag).send({ amount: usd(1000), reason: 'goodwill' }).expect(201);
    const credit = await creditNote();
    expect(credit.body).toMatchObject({ status: 'issued', total: usd(99441), credited: usd(1000), creditNoteId: expect.any(String) });
    await dieInFlight(billing, adminClaims, key);
    const again = await creditNote();
    expect(again.headers['idempotent-replayed']).toBeUndefined(); // decided again, not replayed
    expect(again.body).toEqual({ ...credit.body, position: again.body.position });
    expect((await bl.get(`/invoices/${invoices[c2].id}`)).body.credited).toEqual(usd(1000));
    expect((await bl.post(`/invoices/${invoices[c2].id}/credit-notes`, { amount: usd(99000), reason: 'too much' }, admin, 409)).body.code).toBe('CREDIT_NOTE.EXCEEDS_INVOICE');
    await bl.post(`/invoices/${invoices[c2].id}/credit-notes`, { amount: usd(10), reason: 'x' }, asClient(c2), 403);
    // numbers count per year of the service's clock (the injected one, as every service reads it): the
    // first invoice issued in a new year is its number 1
    const april = (await bl.post('/billing-runs', { period: '2026-04' }, admin, 201)).body as { invoices: { id: string; drafted: boolean }[]; position: number };
    const draft = april.invoices.find((i) => i.drafted)!.id;
    await waitUntil(async () => (await request(billing.url).get(`/invoices/${draft}`).set(bearer(admin))).status === 200, { what: 'the April draft' });
    await setTestClock(billing, admin, `${year + 1}-01-04T10:00:00Z`);
    expect((await bl.post(`/invoices/${draft}/issue`)).body.number).toBe(`INV-${year + 1}-000001`);
    await bl.post(`/invoices/${invoices[c2].id}/credit-notes`, { amount: { amountMinor: 10, currency: 'EUR' }, reason: 'x' }, admin, 400);
    expect((await bl.post(`/invoices/${invoices[extra[0]].id}/void`, { reason: 'empty month' })).body.status).toBe('void');

    const html = await request(billing.url).get(`/invoices/${invoices[c1].id}`).set(bearer(admin)).set('Accept', 'text/html').expect(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.text).toContain(invoices[c1] && issued[ids.indexOf(invoices[c1].id)].body.number);
    expect(html.text).toContain('64.67 USD');
    expect(html.text).toContain('Acme &lt;b&gt;&amp;&lt;/b&gt; &quot;Co&quot;');
    expect(html.text).not.toContain('<b>');
  });

  it('computes payouts per assistant and margins for the agency only', async () => {
    // 97 min at 1200/h = 1940; 90 min at 1500/h = 2250
    expect(await payoutOf(a)).toEqual({ assistantId: a, period: '2026-03', billedMinutes: 97, amount: usd(1940) });
    // the billing runs published each assistant's payout once (the re-run found the same figures)
    const topic = `${billing.env.VAOPS_TOPIC_PREFIX}vaops.billing.events.v1`;
    const computed = await waitUntil(async () => {
      const ms = (await readTopic(testKafka(), topic)).map((m) => JSON.parse(m.value!)).filter((m) => m.type === 'PayoutComputed');
      return ms.length >= 2 ? ms : undefined;
    }, { what: 'PayoutComputed on the billing topic' });
    expect(computed.map((m: { data: unknown }) => m.data)).toEqual(
      expect.arrayContaining([
        { assistantId: a, period: '2026-03', billedMinutes: 97, amount: usd(1940) },
        { assistantId: b, period: '2026-03', billedMinutes: 90, amount: usd(2250) },
      ]),
    );
    expect(computed).toHaveLength(2);
    expect((await bl.get('/payouts?period=2026-03', asAssistant(b))).body.items).toEqual([{ assistantId: b, period: '2026-03', billedMinutes: 90, amount: usd(2250) }]);
    await bl.get(`/payouts?period=2026-03&assistantId=${a}`, asAssistant(b), 404);
    await bl.get('/payouts?period=2026-03', asClient(c1), 403);
    expect((await bl.get('/payouts?period=2026-03', otherAgency)).body.items).toEqual([]);

    const m = await waitUntil(async () => {
      const r = (await bl.get('/margins?period=2026-03')).body;
      return r.clients.find((x: { clientId: string }) => x.clientId === c2)?.revenue.amountMinor === 98441 ? r : undefined;
    }, { what: 'margins with the credit note' });
    expect(m.clients.find((x: { clientId: string }) => x.clientId === c1)).toEqual({ clientId: c1, revenue: usd(6467), cost: usd(1940), margin: usd(4527) });
    expect(m.clients.find((x: { clientId: string }) => x.clientId === c2)).toEqual({ clientId: c2, revenue: usd(98441), cost: usd(2250), margin: usd(96191) });
    expect(m.assistants.find((x: { assistantId: string }) => x.assistantId === b)).toEqual({ assistantId: b, revenue: usd(99441), cost: usd(2250), margin: usd(97191) });
    await bl.get('/margins?period=2026-03', asAssistant(a), 403);
    await bl.get('/margins?period=2026-03', asClient(c1), 403);
  });

  it('has idempotent projections: every event this suite produced, applied twice, changes nothing the second time', async () => {
    const { first, second, events, undecodable } = await replayTwice(billingProjections(billing.env.VAOPS_TOPIC_PREFIX));
    expect(events).toBeGreaterThan(20);
    expect(undecodable).toBe(0); // every event this service produced matches its contract
    expect(second).toEqual(first);
  });
});
