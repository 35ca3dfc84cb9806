import { testDatabase, type TestDatabase } from '@vaops/testing';
import { MongoLease } from './mongo-lease';

describe('MongoLease on the real FerretDB server', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await testDatabase('lease');
  });
  afterEach(async () => t.drop());

  const race = (n: number, ttl: number) =>
    Promise.all(Array.from({ length: n }, (_, i) => new MongoLease(t.db, 'relay').tryAcquire(`owner-${i}`, ttl)));

  it('gives a free lease to exactly one of 10 contenders', async () => {
    expect((await race(10, 5_000)).filter(Boolean)).toHaveLength(1);
  });

  it('gives an expired lease to exactly one of 10 contenders', async () => {
    expect(await new MongoLease(t.db, 'relay').tryAcquire('old', 30)).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect((await race(10, 5_000)).filter(Boolean)).toHaveLength(1);
    expect(await new MongoLease(t.db, 'relay').tryAcquire('old', 5_000)).toBe(false);
  });

  it('lets the holder renew it and release it, and nobody else take it meanwhile', async () => {
    const lease = new MongoLease(t.db, 'relay');
    expect(await lease.tryAcquire('a', 5_000)).toBe(true);
    expect(await lease.tryAcquire('a', 5_000)).toBe(true);
    expect(await lease.tryAcquire('b', 5_000)).toBe(false);
    await lease.release('a');
    expect(await lease.tryAcquire('b', 5_000)).toBe(true);
  });
});
