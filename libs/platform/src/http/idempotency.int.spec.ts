import { Module, type INestApplication } from '@nestjs/common';
import { testDatabase, type TestDatabase } from '@vaops/testing';
import request from 'supertest';
import type { TokenClaims } from '../auth/principal';
import { ThingsModule, decided } from '../test-support/things.controller';
import { bearer, createTestApp, testConfig } from '../test-support/test-app';
import { IDEMPOTENCY_STORE, IDEMPOTENCY_TTL_MS, IN_FLIGHT_TIMEOUT_MS, MemoryIdempotencyStore, MongoIdempotencyStore, type IdempotencyStore } from './idempotency';

const ops: TokenClaims = { sub: 'u-ops', agencyId: 'agency-1', role: 'agency-admin' };

describe('Idempotency-Key over HTTP', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp(testConfig(), [ThingsModule]);
  });
  afterAll(() => app.close());
  const counted = (key: string | undefined, body: object, who: TokenClaims = ops) => {
    const r = request(app.getHttpServer()).post('/things/counted').set('Authorization', bearer(who));
    if (key !== undefined) r.set('Idempotency-Key', key);
    return r.send(body);
  };

  it('answers a retry with the first answer, without deciding again', async () => {
    const before = decided.n;
    const first = await counted('k-retry', { name: 'a', slow: false }).expect(201);
    const again = await counted('k-retry', { name: 'a', slow: false }).expect(201);
    expect(decided.n).toBe(before + 1);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // the same body in another key order is the same request
    await counted('k-retry', { slow: false, name: 'a' }).expect(201);
    expect(decided.n).toBe(before + 1);
  });

  it('refuses the same key with another body: 422 IDEMPOTENCY.KEY_REUSED', async () => {
    await counted('k-reuse', { name: 'a' }).expect(201);
    const res = await counted('k-reuse', { name: 'b' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED', status: 422 });
  });

  it('scopes keys by principal and agency', async () => {
    const before = decided.n;
    await counted('k-scope', { name: 'a' }).expect(201);
    await counted('k-scope', { name: 'a' }, { ...ops, sub: 'u-other' }).expect(201);
    await counted('k-scope', { name: 'a' }, { ...ops, agencyId: 'agency-2' }).expect(201);
    expect(decided.n).toBe(before + 3);
  });

  it('lets two requests with one key in flight decide once: the second waits for the first answer', async () => {
    const before = decided.n;
    const [a, b] = await Promise.all([counted('k-race', { name: 'r', slow: true }), counted('k-race', { name: 'r', slow: true })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toEqual(b.body);
    expect(decided.n).toBe(before + 1);
  });

  it('frees the key of a request that failed, so a retry decides again', async () => {
    const before = decided.n;
    expect((await counted('k-fail', { name: 'f', fail: true })).status).toBe(500);
    const retried = await counted('k-fail', { name: 'f', fail: true }).expect(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(decided.n).toBe(before + 1);
  });

  it('answers 400 naming the header to a malformed key, and works without one', async () => {
    const res = await counted('bad key with spaces', { name: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }]);
    const before = decided.n;
    await counted(undefined, { name: 'x' }).expect(201);
    await counted(undefined, { name: 'x' }).expect(201);
    expect(decided.n).toBe(before + 2);
  });
});

describe('Idempotency-Key after the process died mid-request', () => {
  let app: INestApplication;
  let t: TestDatabase;
  beforeAll(async () => {
    t = await testDatabase('idem-crash');
    const store = new MongoIdempotencyStore(() => t.db);
    await store.ensureIndexes();
    @Module({ providers: [{ provide: IDEMPOTENCY_STORE, useValue: store }] })
    class StoreModule {}
    app = await createTestApp(testConfig(), [ThingsModule, StoreModule]);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });
  const made = (key: string, count: number) => request(app.getHttpServer()).post('/things/made').set('Authorization', bearer(ops)).set('Idempotency-Key', key).send({ count });
  /** What a process killed after the handler's writes, before the answer was stored, leaves behind, 60 s on. */
  const dieInFlight = () =>
    t.db.collection('idempotency_keys').updateMany({}, { $set: { answer: null, createdAt: Date.now() - IN_FLIGHT_TIMEOUT_MS - 1_000 } });

  beforeEach(() => t.db.collection('idempotency_keys').deleteMany({}));

  it('decides the retry again with the ids of the first attempt', async () => {
    const first = await made('k-crash', 3).expect(201);
    expect(new Set(first.body.ids).size).toBe(3);
    await dieInFlight();
    const retried = await made('k-crash', 3).expect(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.body).toEqual(first.body);
    expect(retried.headers.location).toBe(first.headers.location);
    // and again, should the retry die as well
    await dieInFlight();
    expect((await made('k-crash', 3).expect(201)).body).toEqual(first.body);
  });

  it('makes other ids for another key, and for another request taking over a dead claim', async () => {
    const first = await made('k-one', 2).expect(201);
    const other = await made('k-two', 2).expect(201);
    expect(other.body.ids).not.toContain(first.body.ids[0]);
    await dieInFlight();
    const taken = await made('k-one', 1).expect(201);
    expect(taken.body.ids).not.toContain(first.body.ids[0]);
  });
});

describe.each([
  ['memory', async () => ({ store: new MemoryIdempotencyStore() as IdempotencyStore, done: async () => undefined })],
  [
    'MongoDB (the local server)',
    async () => {
      const t: TestDatabase = await testDatabase('idem');
      const store = new MongoIdempotencyStore(() => t.db);
      await store.ensureIndexes();
      return { store: store as IdempotencyStore, done: () => t.drop() };
    },
  ],
])('IdempotencyStore contract: %s', (_name, make) => {
  let store: IdempotencyStore;
  let done: () => Promise<unknown>;
  beforeEach(async () => {
    ({ store, done } = await make());
  });
  afterEach(() => done());
  const t0 = 1_800_000_000_000;

  it('claims a key once; then in flight, done with the answer, or another request', async () => {
    expect(await store.begin('k', 'f1', t0)).toEqual({ kind: 'new', firstAt: t0 });
    expect(await store.begin('k', 'f1', t0 + 1)).toEqual({ kind: 'in-flight' });
    await store.complete('k', { body: { id: 'x', 'a.b': 1 }, headers: { location: '/x/1' } });
    expect(await store.begin('k', 'f1', t0 + 2)).toEqual({ kind: 'done', answer: { body: { id: 'x', 'a.b': 1 }, headers: { location: '/x/1' } } });
    expect(await store.begin('k', 'f2', t0 + 3)).toEqual({ kind: 'mismatch' });
  });

  it('frees an abandoned key, an expired one and one in flight past the timeout', async () => {
    await store.begin('a', 'f', t0);
    await store.abandon('a');
    expect(await store.begin('a', 'g', t0 + 1)).toEqual({ kind: 'new', firstAt: t0 + 1 });
    await store.complete('a', { body: 1, headers: {} });
    expect(await store.begin('a', 'h', t0 + IDEMPOTENCY_TTL_MS + 2)).toEqual({ kind: 'new', firstAt: t0 + IDEMPOTENCY_TTL_MS + 2 });
    expect(await store.begin('a', 'h', t0 + IDEMPOTENCY_TTL_MS + 3)).toEqual({ kind: 'in-flight' });
    expect((await store.begin('a', 'h', t0 + IDEMPOTENCY_TTL_MS + IN_FLIGHT_TIMEOUT_MS + 10)).kind).toBe('new');
  });

  it('keeps the first claim time when the same request takes over a claim that died in flight, and only then', async () => {
    const later = t0 + IN_FLIGHT_TIMEOUT_MS + 1;
    await store.begin('k', 'f', t0);
    expect(await store.begin('k', 'f', later)).toEqual({ kind: 'new', firstAt: t0 });
    expect(await store.begin('k', 'f', later + IN_FLIGHT_TIMEOUT_MS + 1)).toEqual({ kind: 'new', firstAt: t0 });
    // another request taking over the dead claim is not a retry of it
    await store.begin('o', 'f', t0);
    expect(await store.begin('o', 'g', later)).toEqual({ kind: 'new', firstAt: later });
    // nor is a request after the key expired, nor one after the claim was abandoned
    await store.begin('e', 'f', t0);
    expect(await store.begin('e', 'f', t0 + IDEMPOTENCY_TTL_MS + 1)).toEqual({ kind: 'new', firstAt: t0 + IDEMPOTENCY_TTL_MS + 1 });
    await store.begin('x', 'f', t0);
    await store.abandon('x');
    expect(await store.begin('x', 'f', later)).toEqual({ kind: 'new', firstAt: later });
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => store.begin('race', 'f', t0)));
    expect(results.filter((r) => r.kind === 'new')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'in-flight')).toHaveLength(19);
  });
});
