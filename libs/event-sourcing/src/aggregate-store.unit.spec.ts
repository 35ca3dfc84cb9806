import { AggregateStore, snapshotSchemaOf, type Snapshot, type SnapshotStore } from './aggregate-store';
import type { Decider } from './decider';
import { ConcurrencyConflictError, DomainError } from './errors';
import type { ReadStreamOptions } from './event-store';
import { InMemoryEventStore } from './in-memory-event-store';
import type { DomainEvent, EventMetadata } from './types';

type Cmd = { type: 'Add'; n: number; limit?: number };
type Ev = { type: 'Added'; data: { n: number } };
type State = { total: number; count: number };
const decider: Decider<Cmd, Ev, State> = {
  initialState: () => ({ total: 0, count: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.n, count: s.count + 1 }),
  decide: (c, s) => {
    if (c.limit !== undefined && s.total + c.n > c.limit) throw new DomainError('COUNTER.LIMIT', 'rule', 'over the limit');
    return c.n === 0 ? [] : [{ type: 'Added', data: { n: c.n } }];
  },
};
const metadata: EventMetadata = { agencyId: 'a', actor: { sub: 'u', role: 'agency-admin' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-01-01T00:00:00Z' };
const add = (n: number, limit?: number): Cmd => ({ type: 'Add', n, limit });

/** An in-memory store that records from which version each read started. */
class CountingStore extends InMemoryEventStore {
  reads: number[] = [];
  override async readStream<E extends DomainEvent = DomainEvent>(streamId: string, options?: ReadStreamOptions) {
    this.reads.push(options?.after ?? 0);
    return super.readStream<E>(streamId, options);
  }
}

class MemorySnapshots implements SnapshotStore {
  readonly byStream = new Map<string, Snapshot>();
  async read(streamId: string) {
    return this.byStream.get(streamId) ?? null;
  }
  async write(s: Snapshot) {
    const cur = this.byStream.get(s.streamId);
    if (!cur || cur.version < s.version || cur.schema !== s.schema) this.byStream.set(s.streamId, s);
  }
}

describe('AggregateStore', () => {
  describe('given a stream this process has folded', () => {
    it('decides a command on its fold without reading; a read asks only for what follows it', async () => {
      const store = new CountingStore();
      const mine = new AggregateStore(store);
      for (let i = 0; i < 30; i++) await mine.execute(decider, 's', add(1), { metadata });
      store.reads = [];
      await mine.execute(decider, 's', add(1), { metadata });
      expect(store.reads).toEqual([]);
      expect(await mine.load(decider, 's')).toEqual({ state: { total: 31, count: 31 }, version: 31, agencyId: 'a' });
      expect(store.reads).toEqual([31]);
    });

    it('sees what another process appended: a read reads it, a command fails to append on its old fold and decides again', async () => {
      const store = new CountingStore();
      const mine = new AggregateStore(store);
      const other = new AggregateStore(store); // another process
      await mine.execute(decider, 's', add(1), { metadata });
      await other.execute(decider, 's', add(5), { metadata });
      expect(await mine.load(decider, 's')).toEqual({ state: { total: 6, count: 2 }, version: 2, agencyId: 'a' });
      await other.execute(decider, 's', add(2), { metadata });
      const r = await mine.execute(decider, 's', add(1, 9), { metadata }); // limit 9: 8 + 1 fits
      expect(r).toMatchObject({ retried: 1, nextVersion: 4, state: { total: 9, count: 4 } });
    });

    it('refuses by a rule only on a checked fold: a stale one that refuses is checked first', async () => {
      const store = new InMemoryEventStore();
      const mine = new AggregateStore(store);
      await mine.execute(decider, 's', add(8), { metadata });
      await new AggregateStore(store).execute(decider, 's', add(-5), { metadata }); // another process: 3 now
      // on mine's fold (8), +5 breaks the limit of 10; on the store's state (3) it does not
      await expect(mine.execute(decider, 's', add(5, 10), { metadata })).resolves.toMatchObject({ state: { total: 8, count: 3 } });
    });
  });

  describe('given a stream id minted for the command (fresh)', () => {
    it('decides on the initial state without reading the stream or its snapshot', async () => {
      const store = new CountingStore();
      const snapshots = new MemorySnapshots();
      const read = jest.spyOn(snapshots, 'read');
      const r = await new AggregateStore(store, { snapshots }).execute(decider, 'new-1', add(3), { metadata, fresh: true });
      expect(r).toMatchObject({ nextVersion: 1, retried: 0, state: { total: 3, count: 1 } });
      expect(store.reads).toEqual([]);
      expect(read).not.toHaveBeenCalled();
    });

    it('decides again on what the stream holds when it exists after all (the append at version 0 fails)', async () => {
      const store = new CountingStore();
      await new AggregateStore(store).execute(decider, 's', add(4), { metadata }); // another process wrote it
      const mine = new AggregateStore(store);
      const r = await mine.execute(decider, 's', add(1), { metadata, fresh: true });
      expect(r).toMatchObject({ nextVersion: 2, retried: 1, state: { total: 5, count: 2 } });
    });

    it('refuses by a rule only on the state the store holds, and honours If-Match against it', async () => {
      const store = new InMemoryEventStore();
      await new AggregateStore(store).execute(decider, 's', add(8), { metadata });
      // on the initial state, +5 keeps the limit of 10; on the stream's 8 it does not
      await expect(new AggregateStore(store).execute(decider, 's', add(5, 10), { metadata, fresh: true })).rejects.toMatchObject({ code: 'COUNTER.LIMIT' });
      await expect(new AggregateStore(store).execute(decider, 's', add(1), { metadata, fresh: true, expectedVersion: 1 })).resolves.toMatchObject({ nextVersion: 2 });
      await expect(new AggregateStore(store).execute(decider, 's', add(1), { metadata, fresh: true, expectedVersion: 0 })).rejects.toBeInstanceOf(ConcurrencyConflictError);
    });
  });

  describe('given snapshots', () => {
    it('writes one after 100 events and a cold process starts from it', async () => {
      const store = new CountingStore();
      const snapshots = new MemorySnapshots();
      const warm = new AggregateStore(store, { snapshots });
      for (let i = 0; i < 105; i++) await warm.execute(decider, 's', add(2), { metadata });
      expect(snapshots.byStream.get('s')).toEqual(expect.objectContaining({ version: 100, agencyId: 'a', schema: snapshotSchemaOf(decider) }));

      store.reads = [];
      const cold = new AggregateStore(store, { snapshots });
      expect(await cold.load(decider, 's')).toEqual({ state: { total: 210, count: 105 }, version: 105, agencyId: 'a' });
      expect(store.reads).toEqual([100]);
    });

    it('ignores a snapshot of another fold', async () => {
      const store = new CountingStore();
      const snapshots = new MemorySnapshots();
      await new AggregateStore(store).execute(decider, 's', add(3), { metadata });
      snapshots.byStream.set('s', { streamId: 's', version: 1, agencyId: 'a', schema: 'an older evolve', state: JSON.stringify({ total: 999, count: 1 }) });
      expect((await new AggregateStore(store, { snapshots }).load(decider, 's')).state).toEqual({ total: 3, count: 1 });
      const changed = { ...decider, snapshotVersion: 2 };
      expect(snapshotSchemaOf(changed)).not.toBe(snapshotSchemaOf(decider));
    });
  });

  describe('given 20 parallel commands on one stream', () => {
    it('runs them one after another in one process: all succeed, none races', async () => {
      const store = new InMemoryEventStore();
      const aggregates = new AggregateStore(store);
      const results = await Promise.all(Array.from({ length: 20 }, () => aggregates.execute(decider, 's', add(1), { metadata })));
      expect(results.map((r) => r.retried)).toEqual(Array.from({ length: 20 }, () => 0));
      expect((await store.readStream('s')).version).toBe(20);
    });

    it('decides again against the state that won when another process raced it, so rules hold', async () => {
      const store = new InMemoryEventStore();
      // 20 "processes", limit 10: exactly 10 succeed and the others hit the rule, none a conflict
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => new AggregateStore(store).execute(decider, 's', add(1, 10), { metadata })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
      for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) expect(r.reason).toMatchObject({ code: 'COUNTER.LIMIT' });
      expect((await store.readStream('s')).version).toBe(10);
    });
  });

  describe('given If-Match', () => {
    it('lets exactly one of 50 parallel commands at one version win', async () => {
      const store = new InMemoryEventStore();
      await new AggregateStore(store).execute(decider, 's', add(1), { metadata });
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => new AggregateStore(store).execute(decider, 's', add(1), { metadata, expectedVersion: 1 })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) expect(r.reason).toBeInstanceOf(ConcurrencyConflictError);
    });

    it('refuses a stale one at once, also in the process that holds the stream', async () => {
      const store = new InMemoryEventStore();
      const aggregates = new AggregateStore(store);
      await aggregates.execute(decider, 's', add(1), { metadata });
      await aggregates.execute(decider, 's', add(1), { metadata });
      await expect(aggregates.execute(decider, 's', add(1), { metadata, expectedVersion: 1 })).rejects.toBeInstanceOf(ConcurrencyConflictError);
      expect((await store.readStream('s')).version).toBe(2);
    });
  });
});
