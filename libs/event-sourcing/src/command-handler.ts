import { AggregateStore, type ExecuteOptions, type ExecuteResult } from './aggregate-store';
import type { Decider } from './decider';
import type { EventStore } from './event-store';
import type { DomainEvent } from './types';

export type HandleOptions<E extends DomainEvent = DomainEvent> = ExecuteOptions<E>;
export type HandleResult<E extends DomainEvent, S> = ExecuteResult<E, S>;

/**
 * Read the stream, fold, decide, append with the expected version: one command, with no cache and no
 * snapshots (a service keeps one AggregateStore for that).
 */
export async function handleCommand<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  options: HandleOptions<E>,
): Promise<HandleResult<E, S>> {
  return new AggregateStore(store, { cacheSize: 0 }).execute(decider, streamId, command, options);
}
