import { spawn } from 'node:child_process';
import * as path from 'node:path';
import request from 'supertest';
import { bearer, describeInputHardening, dieInFlight, runRebuild, startService, testKafka, tokenFor, waitUntil, type RunningService } from '@vaops/testing';

const ROOT = path.resolve(__dirname, '../../..');

describe('clients service over HTTP (running process, real Kafka and FerretDB)', () => {
  let svc: RunningService;
  const adminClaims = { sub: 'admin-1', agencyId: 'agency-a', role: 'agency-admin' } as const;
  const admin = tokenFor(adminClaims);
  const otherAdmin = tokenFor({ sub: 'admin-2', agencyId: 'agency-b', role: 'agency-admin' });
  const client = { name: 'Jones Realty', email: 'ops@jones.example', timezone: 'America/New_York', currency: 'USD' };
  const assistant = {
    name: 'Jane Doe',
    email: 'jane@va.example',
    timezone: 'Asia/Manila',
    weeklyCapacityHours: 30,
    skills: ['bookkeeping'],
    payRate: { amountMinor: 1200, currency: 'USD' },
  };

  beforeAll(async () => {
    svc = await startService('clients');
  });
  afterAll(async () => {
    await svc?.stop();
  });

  describeInputHardening(() => svc.url, '/clients', () => admin);

  it('takes an Idempotency-Key: a retried POST /clients registers one client and answers the first answer again', async () => {
    const key = `reg-${Date.now()}`;
    const body = { ...client, name: `Idempotent ${key}` };
    const first = await request(svc.url).post('/clients').set(bearer(admin)).set('Idempotency-Key', key).send(body).expect(201);
    const retry = await request(svc.url).post('/clients').set(bearer(admin)).set('Idempotency-Key', key).send(body).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const list = await request(svc.url).get(`/clients?minPosition=${first.body.position}&limit=500`).set(bearer(admin)).expect(200);
    expect(list.body.items.filter((c: { name: string }) => c.name === body.name)).toHaveLength(1);
    const reused = await request(svc.url).post('/clients').set(bearer(admin)).set('Idempotency-Key', key).send({ ...body, name: 'Someone else' });
    expect({ status: reused.status, code: reused.body.code }).toEqual({ status: 422, code: 'IDEMPOTENCY.KEY_REUSED' });
    // documented on every POST and PUT of the service's OpenAPI document
    const doc = (await request(svc.url).get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
    const writes = Object.values(doc.paths).flatMap((item) => ['post', 'put'].map((m) => item[m]).filter(Boolean));
    expect(writes.length).toBeGreaterThan(3);
    expect(writes.every((op) => op.parameters?.some((p) => p.name === 'Idempotency-Key'))).toBe(true);
  });

  it('decides a POST /clients whose process died before storing its answer again after 60 s, with the same id: one client', async () => {
    const key = `crash-${Date.now()}`;
    const body = { ...client, name: `Crashed ${key}` };
    const first = await request(svc.url).post('/clients').set(bearer(admin)).set('Idempotency-Key', key).send(body).expect(201);
    await dieInFlight(svc, adminClaims, key);
    const retry = await request(svc.url).post('/clients').set(bearer(admin)).set('Idempotency-Key', key).send(body).expect(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined(); // decided again, not replayed
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers.etag).toBe(first.headers.etag);
    const list = await request(svc.url).get(`/clients?minPosition=${first.body.position}&limit=500`).set(bearer(admin)).expect(200);
    expect(list.body.items.filter((c: { name: string }) => c.name === body.name)).toEqual([expect.objectContaining({ id: first.body.id })]);
  });

  describe('POST /clients', () => {
    it('creates a client: 201, Location, id and position; readable at once with ?minPosition=', async () => {
      const res = await request(svc.url).post('/clients').set(bearer(admin)).send(client).expect(201);
      expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/); // UUID v7
      expect(res.headers.location).toBe(`/clients/${res.body.id}`);
      expect(res.body.position).toBeGreaterThan(0);
      // where the command's time went
      expect(res.headers['server-timing']).toMatch(/^queue;dur=[\d.]+, load;dur=[\d.]+, decide;dur=[\d.]+, append;dur=[\d.]+, total;dur=[\d.]+$/);
      const got = await request(svc.url).get(`${res.headers.location}?minPosition=${res.body.position}`).set(bearer(admin)).expect(200);
      expect(got.headers['server-timing']).toMatch(/read-your-writes;dur=/);
      expect(got.body).toEqual({ id: res.body.id, ...client, version: 1 });
      expect(got.headers.etag).toBe('"1"');
      const list = await request(svc.url).get(`/clients?minPosition=${res.body.position}`).set(bearer(admin)).expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).toContain(res.body.id);
    });

    it('answers 400 naming the field and the reason for a bad body, and writes nothing', async () => {
      const res = await request(svc.url).post('/clients').set(bearer(admin)).send({ ...client, email: 'not-an-email', timezone: 'Mars/Olympus' }).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION.FAILED');
      const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
      expect(fields).toEqual(['email', 'timezone']);
      expect(res.body.errors.find((e: { field: string }) => e.field === 'timezone').message).toMatch(/IANA/);
    });

    it('answers 400 for an unknown field, so nobody sets agencyId or id by hand', async () => {
      const res = await request(svc.url).post('/clients').set(bearer(admin)).send({ ...client, agencyId: 'agency-b', id: 'x' }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['agencyId', 'id']);
    });

    it('answers 401 without a token and with a token signed by another secret', async () => {
      const res = await request(svc.url).post('/clients').send(client).expect(401);
      expect(res.body.code).toBe('AUTH.UNAUTHORIZED');
      await request(svc.url).get('/clients').set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x').expect(401);
    });

    it('answers 403 to a client or an assistant trying to register clients', async () => {
      const c = tokenFor({ sub: 'c', agencyId: 'agency-a', role: 'client', clientId: 'c-1' });
      const a = tokenFor({ sub: 'a', agencyId: 'agency-a', role: 'assistant', assistantId: 'a-1' });
      expect((await request(svc.url).post('/clients').set(bearer(c)).send(client).expect(403)).body.code).toBe('AUTH.FORBIDDEN');
      await request(svc.url).post('/clients').set(bearer(a)).send(client).expect(403);
    });
  });

  describe('scoping', () => {
    let clientId: string;
    let assistantId: string;
    let position: number;
    beforeAll(async () => {
      clientId = (await request(svc.url).post('/clients').set(bearer(admin)).send(client).expect(201)).body.id;
      const a = await request(svc.url).post('/assistants').set(bearer(admin)).send(assistant).expect(201);
      assistantId = a.body.id;
      position = a.body.position;
      await request(svc.url).get(`/assistants/${assistantId}?minPosition=${position}`).set(bearer(admin)).expect(200);
    });

    it("answers 404 for another agency's client and assistant", async () => {
      const res = await request(svc.url).get(`/clients/${clientId}`).set(bearer(otherAdmin)).expect(404);
      expect(res.body.code).toBe('CLIENT.NOT_FOUND');
      await request(svc.url).get(`/assistants/${assistantId}`).set(bearer(otherAdmin)).expect(404);
      const list = await request(svc.url).get('/clients').set(bearer(otherAdmin)).expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(clientId);
    });

    it('shows a client only itself, and never the assistant list', async () => {
      const own = tokenFor({ sub: 'c', agencyId: 'agency-a', role: 'client', clientId });
      const list = await request(svc.url).get('/clients').set(bearer(own)).expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([clientId]);
      await request(svc.url).get(`/clients/${clientId}`).set(bearer(own)).expect(200);
      const other = tokenFor({ sub: 'c2', agencyId: 'agency-a', role: 'client', clientId: 'someone-else' });
      await request(svc.url).get(`/clients/${clientId}`).set(bearer(other)).expect(404);
      const res = await request(svc.url).get('/assistants').set(bearer(own)).expect(403);
      expect(res.body.code).toBe('AUTH.FORBIDDEN');
      await request(svc.url).get(`/assistants/${assistantId}`).set(bearer(own)).expect(404);
    });

    it('shows an assistant their own record without the pay rate; the agency sees the pay rate', async () => {
      const self = tokenFor({ sub: 'a', agencyId: 'agency-a', role: 'assistant', assistantId });
      const mine = await request(svc.url).get(`/assistants/${assistantId}`).set(bearer(self)).expect(200);
      expect(mine.body).toMatchObject({ id: assistantId, committedWeeklyHours: 0, weeklyCapacityHours: 30 });
      expect(mine.body.payRate).toBeUndefined();
      const list = await request(svc.url).get('/assistants').set(bearer(self)).expect(200);
      expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([assistantId]);
      const asAgency = await request(svc.url).get(`/assistants/${assistantId}`).set(bearer(admin)).expect(200);
      expect(asAgency.body.payRate).toEqual({ amountMinor: 1200, currency: 'USD' });
      expect(asAgency.body.workingHours).toHaveLength(5);
    });

    it('validates nested money and paginates with a cursor', async () => {
      const bad = await request(svc.url).post('/assistants').set(bearer(admin)).send({ ...assistant, payRate: { amountMinor: 12.5, currency: 'USD' } }).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['payRate.amountMinor']);
      const ids: string[] = [];
      let last = 0;
      for (let i = 0; i < 3; i++) {
        const r = await request(svc.url).post('/clients').set(bearer(otherAdmin)).send({ ...client, name: `C${i}` }).expect(201);
        ids.push(r.body.id);
        last = r.body.position;
      }
      const page1 = await request(svc.url).get(`/clients?limit=2&minPosition=${last}`).set(bearer(otherAdmin)).expect(200);
      expect(page1.body.items.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
      const page2 = await request(svc.url).get(`/clients?limit=2&cursor=${page1.body.nextCursor}`).set(bearer(otherAdmin)).expect(200);
      expect(page2.body).toEqual({ items: [expect.objectContaining({ id: ids[2] })], nextCursor: null });
      await request(svc.url).get('/clients?limit=501').set(bearer(otherAdmin)).expect(400);
    });
  });

  it('answers 409 READ_MODEL.BEHIND when the read model cannot reach the position in 5 s', async () => {
    const res = await request(svc.url).get('/clients?minPosition=999999999').set(bearer(admin)).expect(409);
    expect(res.body.code).toBe('READ_MODEL.BEHIND');
  });

  it('serves health, metrics and its OpenAPI document without a token; no test clock unless enabled', async () => {
    await request(svc.url).get('/health/live').expect(200);
    const created = await request(svc.url).post('/clients').set(bearer(admin)).send(client).expect(201);
    await request(svc.url).get(`/clients/${created.body.id}?minPosition=${created.body.position}`).set(bearer(admin)).expect(200);
    const metrics = await request(svc.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/vaops_events_appended_total\{service="clients",type="ClientRegistered"\} \d+/);
    expect(metrics.text).toMatch(/vaops_events_published_total\{topic="[^"]+"\} \d+/);
    expect(metrics.text).toContain('http_request_duration_seconds_bucket{le="0.005",method="POST",route="/clients",status="201"}');
    expect(metrics.text).toMatch(/vaops_outbox_backlog \d+/);
    expect(metrics.text).toMatch(/vaops_projection_position\{projection="clients.client-directory",topic="[^"]+",partition="\d"\} \d+/);
    expect(metrics.text).toMatch(/vaops_consumer_lag\{group="[^"]+",topic="[^"]+",partition="\d"\} 0/);
    const doc = await request(svc.url).get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/clients', '/clients/{id}', '/assistants', '/assistants/{id}']));
    await request(svc.url).put('/_test/clock').set(bearer(admin)).send({ now: '2026-01-01T00:00:00Z' }).expect(404);
  });

  it('refuses to start in production with the dev JWT secret, naming the variable', async () => {
    const out = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'apps/clients/src/main.ts')], {
        cwd: ROOT,
        env: { ...process.env, ...svc.env, PORT: '0', NODE_ENV: 'production', VAOPS_JWT_SECRET: 'dev-secret-change-me' },
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('exit', (code) => resolve({ code, output }));
    });
    expect(out.code).not.toBe(0);
    expect(out.output).toContain('VAOPS_JWT_SECRET');
  });

  it('rebuilds every read model from the log while the service runs, proving equality', async () => {
    const out = await runRebuild('clients', svc.env);
    expect({ code: out.code, stderr: out.code === 0 ? '' : out.stderr }).toEqual({ code: 0, stderr: '' });
    const results = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(results.map((r) => r.projection).sort()).toEqual(['clients.assistant-reliability', 'clients.assistant-roster', 'clients.client-directory', 'clients.engagement-details', 'clients.handover-plans']);
    for (const r of results) expect(r).toMatchObject({ equal: true, swapped: true });
    expect(out.stderr).toMatch(/ev\/s ETA/);
    // the service still answers from the swapped-in read model
    const list = await request(svc.url).get('/clients').set(bearer(admin)).expect(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(2);
    await waitUntil(async () => (await request(svc.url).get('/health/ready')).status === 200);
  });

  it('shuts down gracefully on SIGTERM: leaves its consumer groups and exits without being killed', async () => {
    const groups = ['clients.client-directory', 'clients.assistant-roster', 'clients.engagement-details', 'clients.assistant-reliability', 'clients.handover-plans'].map((p) => `${svc.env.VAOPS_TOPIC_PREFIX}clients.${p}`);
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const before = await admin.describeGroups(groups);
      expect(before.groups.map((g) => g.state)).toEqual(['Stable', 'Stable', 'Stable', 'Stable', 'Stable']);
      const started = Date.now();
      const ended = await svc.stop();
      // Nest runs the shutdown hooks, then re-raises SIGTERM; the fallback would be SIGKILL.
      expect(ended.signal === 'SIGTERM' || ended.code === 0).toBe(true);
      expect(Date.now() - started).toBeLessThan(15_000);
      const after = await admin.describeGroups(groups);
      expect(after.groups.map((g) => g.members.length)).toEqual([0, 0, 0, 0, 0]);
    } finally {
      await admin.disconnect();
    }
  });

  it('limits a principal in a running service: 429 RATE.LIMITED with Retry-After, health exempt', async () => {
    const limited = await startService('clients', { VAOPS_RATE_LIMIT_WRITES: '3', VAOPS_RATE_LIMIT_PRINCIPAL: '6', VAOPS_CONSUMER_MAX_WAIT_MS: '100' });
    try {
      const token = tokenFor({ sub: 'burst', agencyId: 'agency-rl', role: 'agency-admin' });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await request(limited.url).post('/clients').set(bearer(token)).send({ ...client, name: `Burst ${i}` })).status);
      expect(statuses).toEqual([201, 201, 201, 429]);
      const refused = await request(limited.url).post('/clients').set(bearer(token)).send(client);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: 'RATE.LIMITED' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // reads go on until the request limit, other principals are not slowed, health is never limited
      await request(limited.url).get('/clients').set(bearer(token)).expect(200);
      await request(limited.url).post('/clients').set(bearer(tokenFor({ sub: 'calm', agencyId: 'agency-rl', role: 'agency-admin' }))).send(client).expect(201);
      for (let i = 0; i < 10; i++) await request(limited.url).get('/health/live').expect(200);
    } finally {
      await limited.stop();
    }
  });
});
