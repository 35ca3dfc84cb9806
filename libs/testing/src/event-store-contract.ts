import {
  ConcurrencyConflictError,
  newId,
  type EventMetadata,
  type EventStore,
  type Outbox,
} from '@vaops/event-sourcing';

export const testMetadata = (over: Partial<EventMetadata> = {}): EventMetadata => ({
  agencyId: 'agency-1',
  actor: { sub: 'user-1', role: 'agency-admin' },
  correlationId: newId(),
  causationId: newId(),
  occurredAt: '2026-11-23T10:00:00.000Z',
  ...over,
});

const ev = (n: number) => ({ type: 'Counted', data: { n } });

/**
 * One contract for every EventStore + Outbox implementation: the in-memory one runs it in unit tests,
 * the MongoDB one against the real FerretDB server.
 */
export function describeEventStoreContract(
  name: string,
  setup: () => Promise<{ store: EventStore & Outbox; teardown: () => Promise<void> }>,
): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore & Outbox;
    let teardown: () => Promise<void>;
    beforeEach(async () => {
      ({ store, teardown } = await setup());
    });
    afterEach(async () => {
      await teardown();
    });

    describe('given an empty stream', () => {
      it('reads version 0 and no events', async () => {
        expect(await store.readStream('s-empty')).toEqual({ version: 0, events: [] });
      });

      it('appends at version 0 and reads the events back with their envelope', async () => {
        const meta = testMetadata();
        const r = await store.appendToStream('s-1', 0, [ev(1), ev(2)], meta);
        expect(r.nextVersion).toBe(2);
        expect(r.positions).toHaveLength(2);
        expect(r.positions[1]).toBeGreaterThan(r.positions[0]);
        const read = await store.readStream('s-1');
        expect(read.version).toBe(2);
        expect(read.events.map((e) => [e.version, e.type, e.data, e.schemaVersion])).toEqual([
          [1, 'Counted', { n: 1 }, 1],
          [2, 'Counted', { n: 2 }, 1],
        ]);
        expect(read.events[0].metadata).toEqual(meta);
        expect(read.events[0].eventId).toMatch(/^[0-9a-f-]{36}$/);
        expect(read.events[0].eventId).not.toBe(read.events[1].eventId);
      });

      it('refuses an expected version past the head, writing nothing', async () => {
        await expect(store.appendToStream('s-2', 3, [ev(1)], testMetadata())).rejects.toBeInstanceOf(ConcurrencyConflictError);
        expect((await store.readStream('s-2')).version).toBe(0);
      });
    });

    describe('given a stream at version 2', () => {
      beforeEach(async () => {
        await store.appendToStream('s-3', 0, [ev(1), ev(2)], testMetadata());
      });

      it('appends at the current version', async () => {
        const r = await store.appendToStream('s-3', 2, [ev(3)], testMetadata());
        expect(r.nextVersion).toBe(3);
        expect((await store.readStream('s-3')).events.map((e) => e.version)).toEqual([1, 2, 3]);
      });

      it('refuses a stale expected version with a typed conflict and writes nothing', async () => {
        await expect(store.appendToStream('s-3', 0, [ev(9)], testMetadata())).rejects.toBeInstanceOf(ConcurrencyConflictError);
        await expect(store.appendToStream('s-3', 1, [ev(9), ev(10)], testMetadata())).rejects.toBeInstanceOf(ConcurrencyConflictError);
        const read = await store.readStream('s-3');
        expect(read.version).toBe(2);
        expect(read.events.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      });
    });

    describe('given a stream of three commits (1, 2-4, 5)', () => {
      beforeEach(async () => {
        await store.appendToStream('r', 0, [ev(1)], testMetadata());
        await store.appendToStream('r', 1, [ev(2), ev(3), ev(4)], testMetadata());
        await store.appendToStream('r', 4, [ev(5)], testMetadata());
      });

      it('reads only what follows a version, also from inside a commit', async () => {
        expect(await store.readStream('r', { after: 5 })).toEqual({ version: 5, events: [] });
        expect((await store.readStream('r', { after: 4 })).events.map((e) => e.version)).toEqual([5]);
        const mid = await store.readStream('r', { after: 2 });
        expect(mid.version).toBe(5);
        expect(mid.events.map((e) => e.data)).toEqual([{ n: 3 }, { n: 4 }, { n: 5 }]);
      });

      it('refuses an append at a version inside a commit', async () => {
        await expect(store.appendToStream('r', 3, [ev(9)], testMetadata())).rejects.toBeInstanceOf(ConcurrencyConflictError);
        expect((await store.readStream('r')).events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
      });

      it('finds the publication of a position inside a commit', async () => {
        const [, second] = (await store.readStream('r')).events;
        expect(await store.publication(second.position + 1)).toEqual({ status: 'pending' });
      });
    });

    it('lets exactly one of 50 parallel appends at one version win; the others conflict; no gap, no duplicate', async () => {
      await store.appendToStream('s-race', 0, [ev(0)], testMetadata());
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => store.appendToStream('s-race', 1, [ev(i + 1)], testMetadata())),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(49);
      for (const l of lost) expect(l.reason).toBeInstanceOf(ConcurrencyConflictError);
      const read = await store.readStream('s-race');
      expect(read.events.map((e) => e.version)).toEqual([1, 2]);
      const all = await store.readAll(0, 1000);
      const positions = all.map((e) => e.position);
      expect(new Set(positions).size).toBe(positions.length);
      expect(new Set(all.map((e) => e.eventId)).size).toBe(all.length);
    });

    it('lets 30 parallel appends to 30 different streams all succeed, with unique positions', async () => {
      const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => store.appendToStream(`p-${i}`, 0, [ev(i), ev(i)], testMetadata())));
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      const positions = (await store.readAll(0, 1000)).map((e) => e.position);
      expect(positions).toHaveLength(60);
      expect(new Set(positions).size).toBe(60);
      expect(await store.highestPosition()).toBe(Math.max(...positions));
    });

    it('keeps streams apart and orders readAll by position', async () => {
      await store.appendToStream('a', 0, [ev(1)], testMetadata());
      await store.appendToStream('b', 0, [ev(2)], testMetadata());
      await store.appendToStream('a', 1, [ev(3)], testMetadata());
      const all = await store.readAll(0, 100);
      expect(all.map((e) => [e.streamId, e.version])).toEqual([['a', 1], ['b', 1], ['a', 2]]);
      const after = await store.readAll(all[0].position, 100);
      expect(after.map((e) => e.streamId)).toEqual(['b', 'a']);
      expect((await store.readStream('b')).version).toBe(1);
    });

    describe('outbox', () => {
      it('marks a large batch published (more than 100 commits in one call)', async () => {
        for (let i = 0; i < 150; i++) await store.appendToStream(`big-${i}`, 0, [ev(i)], testMetadata());
        const pending = await store.fetchUnpublished(500);
        expect(pending).toHaveLength(150);
        await store.markPublished(pending.map((e, i) => ({ eventId: e.eventId, at: { topic: 't', partition: 0, offset: String(i) } })), { 't:0': '149' });
        expect(await store.backlog()).toBe(0);
      });

      it('holds every appended event as unpublished until marked, in position order', async () => {
        await store.appendToStream('o-1', 0, [ev(1), ev(2)], testMetadata());
        await store.appendToStream('o-2', 0, [ev(3)], testMetadata());
        const pending = await store.fetchUnpublished(100);
        expect(pending.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
        expect(await store.backlog()).toBe(3);
        expect(await store.publication(pending[0].position)).toEqual({ status: 'pending' });

        const at = (i: number) => ({ topic: 't', partition: 0, offset: String(i) });
        await store.markPublished(
          [
            { eventId: pending[0].eventId, at: at(0) },
            { eventId: pending[1].eventId, at: at(1) },
          ],
          { 'vaops.t.v1:0': '1', 'vaops.t.v1:1': '7' },
        );
        expect(await store.backlog()).toBe(1);
        expect((await store.fetchUnpublished(100)).map((e) => e.data)).toEqual([{ n: 3 }]);
        expect(await store.publication(pending[1].position)).toEqual({ status: 'published', at: at(1), watermark: { 'vaops.t.v1:0': '1', 'vaops.t.v1:1': '7' } });

        await store.markPublished([{ eventId: pending[2].eventId, at: null }], { 'vaops.t.v1:0': '1', 'vaops.t.v1:1': '7' });
        expect(await store.publication(pending[2].position)).toEqual({ status: 'private', watermark: { 'vaops.t.v1:0': '1', 'vaops.t.v1:1': '7' } });
        expect(await store.backlog()).toBe(0);
        expect(await store.publication(999_999)).toBeUndefined();
        expect(await store.highestPosition()).toBe(pending[2].position);
      });
    });
  });
}
