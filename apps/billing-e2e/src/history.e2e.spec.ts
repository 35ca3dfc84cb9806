import request from 'supertest';
import { Topics } from '@vaops/contracts';
import { bearer, expectHistory, historyRows, outsiders, readTopic, seedEngagement, setTestClock, suiteServices, testKafka, tokenFor, uniqueName, usd, waitUntil } from '@vaops/testing';

/**
 * An invoice's history and its state as of an instant, against running clients and billing services on
 * one topic prefix (real Kafka and FerretDB, test clocks): who drafted, issued and voided it, when, why,
 * with the correlation id of each request; the invoice before, between and after; each role's scope.
 */
describe('invoice history and as-of over HTTP', () => {
  const [clients, billing] = suiteServices(['clients', 'billing'], { VAOPS_TEST_CLOCK: '1' });
  const agency = uniqueName('agency-bh');
  const ops1 = tokenFor({ sub: 'ops-1', agencyId: agency, role: 'agency-admin' });
  const ops2 = tokenFor({ sub: 'ops-2', agencyId: agency, role: 'agency-admin' });
  let clientId: string;
  let invoiceId: string;

  const bl = (path: string, token = ops1, status = 200) => request(billing.url).get(path).set(bearer(token)).expect(status);
  const act = (path: string, body: object, token: string, correlationId: string) =>
    request(billing.url).post(path).set(bearer(token)).set('X-Correlation-Id', correlationId).send(body).expect(200);

  beforeAll(async () => {
    await setTestClock(clients, ops1, '2026-03-02T12:00:00Z');
    ({ clientId } = await seedEngagement(clients, ops1));

    await setTestClock(billing, ops1, '2026-04-01T10:00:00Z');
    const run = await waitUntil(
      async () => {
        const r = await request(billing.url).post('/billing-runs').set(bearer(ops1)).set('X-Correlation-Id', 'bh-run').send({ period: '2026-03' }).expect(201);
        return r.body.invoices.find((i: { clientId: string }) => i.clientId === clientId) as { id: string } | undefined;
      },
      { timeoutMs: 30_000, what: 'a billing run that invoices the client' },
    );
    invoiceId = run.id;
    await setTestClock(billing, ops1, '2026-04-02T10:00:00Z');
    await act(`/invoices/${invoiceId}/issue`, {}, ops2, 'bh-issue');
    await setTestClock(billing, ops1, '2026-04-07T10:00:00Z');
    await act(`/invoices/${invoiceId}/void`, { reason: 'billed to the wrong entity' }, ops1, 'bh-void');
  }, 120_000);

  it('lists every change in order: what, who, when, why and the correlation id', async () => {
    const items = await expectHistory(bl(`/invoices/${invoiceId}/history`), [
      ['InvoiceDrafted', 'ops-1', '2026-04-01T10:00:00.000Z', undefined, 'bh-run'],
      ['InvoiceIssued', 'ops-2', '2026-04-02T10:00:00.000Z', undefined, 'bh-issue'],
      ['InvoiceVoided', 'ops-1', '2026-04-07T10:00:00.000Z', 'billed to the wrong entity', 'bh-void'],
    ]);
    expect(items[0].changes).toMatchObject({ clientId, period: '2026-03', total: usd(0) });
    expect(items[1].changes).toMatchObject({ number: 'INV-2026-000001' });
  });

  it('answers the invoice as it stood: 404 before the draft, a draft without a number, issued, then today\'s answer', async () => {
    await bl(`/invoices/${invoiceId}?asOf=2026-04-01T09:59:59Z`, ops1, 404);
    const draft = await bl(`/invoices/${invoiceId}?asOf=2026-04-01T10:00:00Z`);
    expect(draft.body).toMatchObject({ id: invoiceId, status: 'draft', number: null, version: 1 });
    expect(draft.headers.etag).toBe('"1"');
    expect((await bl(`/invoices/${invoiceId}?asOf=2026-04-06T23:59:59Z`)).body).toMatchObject({ status: 'issued', number: 'INV-2026-000001', version: 2 });
    const after = await bl(`/invoices/${invoiceId}?asOf=2026-04-07T10:00:00Z`);
    expect(after.body).toEqual((await bl(`/invoices/${invoiceId}`)).body);
    expect(after.body).toMatchObject({ status: 'void', version: 3 });
    const bad = await bl(`/invoices/${invoiceId}?asOf=last-week`, ops1, 400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf']);
  });

  it('scopes both as the current state: the agency and its client; another client or agency 404, an assistant 403', async () => {
    const client = tokenFor({ sub: 'exec', agencyId: agency, role: 'client', clientId });
    expect((await bl(`/invoices/${invoiceId}/history`, client)).body.items).toHaveLength(3);
    expect((await bl(`/invoices/${invoiceId}?asOf=2026-04-03T00:00:00Z`, client)).body.status).toBe('issued');
    const others = outsiders(agency);
    for (const t of [others.client, others.agency]) {
      expect((await bl(`/invoices/${invoiceId}/history`, t, 404)).body.code).toBe('INVOICE.NOT_FOUND');
      await bl(`/invoices/${invoiceId}?asOf=2026-04-03T00:00:00Z`, t, 404);
    }
    await bl(`/invoices/${invoiceId}/history`, tokenFor({ sub: 'va', agencyId: agency, role: 'assistant', assistantId: 'a' }), 403);
    await bl('/invoices/0190a0a0-0000-7000-8000-000000000003/history', ops1, 404);
  });

  it('keeps the void reason encrypted under the client key: never on the topic, [erased] once the client contact is erased', async () => {
    const topic = `${billing.env.VAOPS_TOPIC_PREFIX}${Topics.billing}`;
    const raw = (await readTopic(testKafka(), topic)).map((m) => m.value ?? '');
    expect(raw.join('\n')).not.toContain('wrong entity');
    const voided = raw.map((v) => JSON.parse(v)).find((e) => e.type === 'InvoiceVoided' && e.data.invoiceId === invoiceId);
    expect(voided).toMatchObject({ schemaVersion: 2, data: { invoiceId, clientId, reason: { pii: 'v1', person: clientId } } });

    const before = (await bl(`/invoices/${invoiceId}`)).body;
    await request(clients.url).post(`/people/${clientId}/erasure`).set(bearer(ops1)).expect(202);
    // billing hears PersonErased on the clients topic and drops the key it had cached
    const items = await waitUntil(
      async () => {
        const { body } = await bl(`/invoices/${invoiceId}/history`);
        return body.items[2].reason === '[erased]' ? body.items : undefined;
      },
      { timeoutMs: 30_000, what: 'the void reason to read as erased' },
    );
    expect(historyRows(items)).toEqual([
      ['InvoiceDrafted', 'ops-1', '2026-04-01T10:00:00.000Z', undefined, 'bh-run'],
      ['InvoiceIssued', 'ops-2', '2026-04-02T10:00:00.000Z', undefined, 'bh-issue'],
      ['InvoiceVoided', 'ops-1', '2026-04-07T10:00:00.000Z', '[erased]', 'bh-void'],
    ]);
    expect((await bl(`/invoices/${invoiceId}`)).body).toEqual(before);
  });

});
