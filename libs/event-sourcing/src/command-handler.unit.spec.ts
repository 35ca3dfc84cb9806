import { handleCommand } from './command-handler';
import type { Decider } from './decider';
import { ConcurrencyConflictError, DomainError } from './errors';
import { InMemoryEventStore } from './in-memory-event-store';
import type { EventMetadata } from './types';

type Cmd = { type: 'Add'; n: number };
type Ev = { type: 'Added'; data: { n: number } };
type State = { total: number };
const decider: Decider<Cmd, Ev, State> = {
  initialState: () => ({ total: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.n }),
  decide: (c, s) => {
    if (s.total + c.n > 10) throw new DomainError('COUNTER.LIMIT', 'rule', 'over the limit');
    return c.n === 0 ? [] : [{ type: 'Added', data: { n: c.n } }];
  },
};
const metadata: EventMetadata = { agencyId: 'a', actor: { sub: 'u', role: 'agency-admin' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-01-01T00:00:00Z' };

describe('handleCommand', () => {
  it('reads, folds, decides and appends at the read version', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, decider, 's', { type: 'Add', n: 3 }, { metadata });
    const r = await handleCommand(store, decider, 's', { type: 'Add', n: 4 }, { metadata });
    expect(r.state).toEqual({ total: 7 });
    expect(r.nextVersion).toBe(2);
  });

  it('appends nothing when the decider decides nothing', async () => {
    const store = new InMemoryEventStore();
    const r = await handleCommand(store, decider, 's', { type: 'Add', n: 0 }, { metadata });
    expect(r.events).toEqual([]);
    expect((await store.readStream('s')).version).toBe(0);
  });

  it('refuses a stale If-Match version without retrying', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, decider, 's', { type: 'Add', n: 1 }, { metadata });
    await expect(handleCommand(store, decider, 's', { type: 'Add', n: 1 }, { metadata, expectedVersion: 0 })).rejects.toBeInstanceOf(ConcurrencyConflictError);
    expect((await store.readStream('s')).version).toBe(1);
  });

  it('re-decides on a lost race, so a rule holds against the state that won', async () => {
    const store = new InMemoryEventStore();
    // 20 concurrent +1s against a limit of 10: exactly 10 succeed, the rest hit the rule or run out of retries
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => handleCommand(store, decider, 's', { type: 'Add', n: 1 }, { metadata, retries: 50 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(r.reason).toMatchObject({ code: 'COUNTER.LIMIT' });
    }
    expect((await store.readStream('s')).version).toBe(10);
  });
});
