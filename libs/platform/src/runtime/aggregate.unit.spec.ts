import { AggregateStore, ConcurrencyConflictError, DomainError, InMemoryEventStore, NotFoundError, type Decider, type DomainEvent, type EventMetadata, type StoredEvent } from '@vaops/event-sourcing';
import { Aggregate, foldAsOf, type Actor } from './aggregate';
import { COMMANDS, type CommandPort } from './commands';
import type { EventSourcedRuntime } from './event-sourced-runtime';

type Cmd = { type: 'Add'; n: number; limit?: number };
type Ev = { type: 'Added'; data: { n: number } };
type State = { total: number };
const decider: Decider<Cmd, Ev, State> = {
  initialState: () => ({ total: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.n }),
  decide: (c, s) => {
    if (c.limit !== undefined && s.total + c.n > c.limit) throw new DomainError('COUNTER.LIMIT', 'rule', 'over the limit');
    return [{ type: 'Added', data: { n: c.n } }];
  },
};
const add = (n: number, limit?: number): Cmd => ({ type: 'Add', n, limit });
const admin = (agencyId = 'ag-1'): Actor => ({ sub: 'u', agencyId, role: 'agency-admin' });

/** The handle over one AggregateStore (one process) on a shared store, without Mongo or Kafka. */
function counters(store: AggregateStore, events?: InMemoryEventStore, clock: () => string = () => '2026-01-01T00:00:00Z'): Aggregate<Cmd, Ev, State> {
  const port: CommandPort = {
    execute: (d, streamId, command, actor, options) => {
      const correlationId = `c-${clock()}`;
      const metadata: EventMetadata = { agencyId: actor.agencyId, actor: { sub: actor.sub, role: actor.role }, correlationId, causationId: correlationId, occurredAt: clock() };
      return store.execute(d, streamId, command, { ...options, metadata });
    },
    load: (d, streamId) => store.load(d, streamId),
    read: async <E extends DomainEvent>(streamId: string) => (events ? (await events.readStream<E>(streamId)).events : []),
  };
  return new Aggregate({ [COMMANDS]: port } as unknown as EventSourcedRuntime, decider, (id: string) => `counter-${id}`);
}

/** An event store on which every append loses a race. */
class AlwaysRacedStore extends InMemoryEventStore {
  appends = 0;
  override async appendToStream(streamId: string, expectedVersion: number): Promise<never> {
    this.appends++;
    throw new ConcurrencyConflictError(streamId, expectedVersion);
  }
}

describe('Aggregate handle', () => {
  it('names the stream from the id and loads what the agency owns (null when missing or another agency\'s)', async () => {
    const events = new InMemoryEventStore();
    const c = counters(new AggregateStore(events));
    await expect(c.load('1', 'ag-1')).resolves.toBeNull();
    const r = await c.execute('1', add(2), admin());
    expect(r.nextVersion).toBe(1);
    expect((await events.readStream('counter-1')).version).toBe(1);
    await expect(c.load('1', 'ag-1')).resolves.toEqual({ state: { total: 2 }, version: 1 });
    await expect(c.load('1', 'ag-2')).resolves.toBeNull();
  });

  describe('with a command function', () => {
    it('builds the command from the state it is decided on', async () => {
      const c = counters(new AggregateStore(new InMemoryEventStore()));
      const seen: unknown[] = [];
      await c.execute('1', (cur) => (seen.push(cur), add(1)), admin());
      await c.execute('1', (cur) => (seen.push(cur), add(cur!.state.total * 10)), admin());
      expect(seen).toEqual([null, { state: { total: 1 }, version: 1 }]);
      await expect(c.load('1', 'ag-1')).resolves.toEqual({ state: { total: 11 }, version: 2 });
    });

    it('sees null on another agency\'s stream, and its refusal is the answer', async () => {
      const c = counters(new AggregateStore(new InMemoryEventStore()));
      await c.execute('1', add(1), admin('ag-1'));
      const refuse = (cur: unknown) => {
        if (cur === null) throw new NotFoundError('COUNTER.NOT_FOUND', 'counter 1 not found');
        return add(1);
      };
      await expect(c.execute('1', refuse, admin('ag-2'))).rejects.toMatchObject({ code: 'COUNTER.NOT_FOUND' });
      await expect(c.load('1', 'ag-1')).resolves.toMatchObject({ version: 1 });
    });

    it('refuses what the caller may not see before a stale If-Match (404, not 409)', async () => {
      const c = counters(new AggregateStore(new InMemoryEventStore()));
      await c.execute('1', add(1), admin());
      const hidden = () => {
        throw new NotFoundError('COUNTER.NOT_FOUND', 'not yours');
      };
      await expect(c.execute('1', hidden, admin(), { expectedVersion: 7 })).rejects.toMatchObject({ code: 'COUNTER.NOT_FOUND' });
    });

    it('is called again with the winner\'s state when it lost a race without If-Match', async () => {
      const events = new InMemoryEventStore();
      const mine = counters(new AggregateStore(events));
      const other = counters(new AggregateStore(events));
      await mine.execute('1', add(1), admin()); // this process folds version 1
      await other.execute('1', add(5), admin()); // another process appends version 2
      const seen: (number | undefined)[] = [];
      const r = await mine.execute('1', (cur) => (seen.push(cur?.version), add(1, 10)), admin());
      expect(seen).toEqual([1, 2]);
      expect(r).toMatchObject({ nextVersion: 3, retried: 1, state: { total: 7 } });
    });

    it('is awaited when it reads something first', async () => {
      const c = counters(new AggregateStore(new InMemoryEventStore()));
      const r = await c.execute('1', async () => add(await Promise.resolve(4)), admin());
      expect(r.state).toEqual({ total: 4 });
    });
  });

  it('answers a stale expectedVersion with ConcurrencyConflictError, never retried', async () => {
    const c = counters(new AggregateStore(new InMemoryEventStore()));
    await c.execute('1', add(1), admin());
    await c.execute('1', add(1), admin());
    let calls = 0;
    const stale = c.execute('1', () => (calls++, add(1)), admin(), { expectedVersion: 1 });
    await expect(stale).rejects.toBeInstanceOf(ConcurrencyConflictError);
    await expect(stale).rejects.toMatchObject({ code: 'CONCURRENCY.CONFLICT', expectedVersion: 1, actualVersion: 2 });
    // once on this process's fold, once more after that fold was checked against the store: no retry
    expect(calls).toBe(2);
    await expect(c.load('1', 'ag-1')).resolves.toMatchObject({ version: 2 });
    await expect(c.execute('1', add(1), admin(), { expectedVersion: 2 })).resolves.toMatchObject({ nextVersion: 3 });
  });

  it('decides again at most `retries` times after lost races, then gives up with the conflict', async () => {
    const events = new AlwaysRacedStore();
    const c = counters(new AggregateStore(events, { retries: 12 }));
    let calls = 0;
    await expect(c.execute('1', () => (calls++, add(1)), admin(), { retries: 3 })).rejects.toBeInstanceOf(ConcurrencyConflictError);
    expect(events.appends).toBe(4);
    expect(calls).toBe(4);
    // with If-Match there is no retry, whatever `retries` says
    events.appends = 0;
    await expect(c.execute('1', add(1), admin(), { retries: 3, expectedVersion: 0 })).rejects.toBeInstanceOf(ConcurrencyConflictError);
    expect(events.appends).toBe(1);
  });

  describe('history and as-of', () => {
    const at = (iso: string) => new Date(iso);
    async function counterWithHistory() {
      const events = new InMemoryEventStore();
      let now = '2026-01-01T10:00:00.000Z';
      const c = counters(new AggregateStore(events), events, () => now);
      await c.execute('1', add(2), admin());
      now = '2026-01-02T10:00:00.000Z';
      await c.execute('1', add(3), { sub: 'u2', agencyId: 'ag-1', role: 'client', clientId: 'c-1' });
      now = '2026-01-03T10:00:00.000Z';
      await c.execute('1', add(5), admin());
      return c;
    }

    it('lists every stored event with who, when and the correlation id, for the owning agency only', async () => {
      const c = await counterWithHistory();
      const history = await c.history('1', 'ag-1');
      expect(history!.map((e) => [e.version, e.data.n, e.metadata.actor.sub, e.metadata.occurredAt, e.metadata.correlationId])).toEqual([
        [1, 2, 'u', '2026-01-01T10:00:00.000Z', 'c-2026-01-01T10:00:00.000Z'],
        [2, 3, 'u2', '2026-01-02T10:00:00.000Z', 'c-2026-01-02T10:00:00.000Z'],
        [3, 5, 'u', '2026-01-03T10:00:00.000Z', 'c-2026-01-03T10:00:00.000Z'],
      ]);
      await expect(c.history('1', 'ag-2')).resolves.toBeNull();
      await expect(c.history('2', 'ag-1')).resolves.toBeNull();
    });

    it('folds only what had happened at the instant: null before the first event, the version of the last one folded', async () => {
      const c = await counterWithHistory();
      await expect(c.loadAsOf('1', 'ag-1', at('2026-01-01T09:59:59.999Z'))).resolves.toBeNull();
      await expect(c.loadAsOf('1', 'ag-1', at('2026-01-01T10:00:00.000Z'))).resolves.toMatchObject({ state: { total: 2 }, version: 1 });
      await expect(c.loadAsOf('1', 'ag-1', at('2026-01-02T23:00:00.000Z'))).resolves.toMatchObject({ state: { total: 5 }, version: 2 });
      const now = await c.loadAsOf('1', 'ag-1', at('2030-01-01T00:00:00.000Z'));
      expect(now).toMatchObject({ state: { total: 10 }, version: 3 });
      expect(now!.events).toHaveLength(3);
      await expect(c.loadAsOf('1', 'ag-2', at('2030-01-01T00:00:00.000Z'))).resolves.toBeNull();
    });

    it('stops at the first event after the instant, so the state is one the stream really had', () => {
      const stored = (version: number, n: number, occurredAt: string): StoredEvent<Ev> => ({
        eventId: `e${version}`,
        streamId: 's',
        version,
        position: version,
        type: 'Added',
        schemaVersion: 1,
        data: { n },
        metadata: { agencyId: 'ag-1', actor: { sub: 'u', role: 'agency-admin' }, correlationId: 'c', causationId: 'c', occurredAt },
      });
      // a clock set back between two decisions: the third happened "before" the second
      const events = [stored(1, 1, '2026-01-01T00:00:00Z'), stored(2, 10, '2026-01-05T00:00:00Z'), stored(3, 100, '2026-01-02T00:00:00Z')];
      expect(foldAsOf(decider, events, at('2026-01-03T00:00:00Z'))).toMatchObject({ state: { total: 1 }, version: 1 });
      expect(foldAsOf(decider, events, at('2026-01-06T00:00:00Z'))).toMatchObject({ state: { total: 111 }, version: 3 });
      expect(foldAsOf(decider, [], at('2026-01-06T00:00:00Z'))).toBeNull();
    });
  });
});
