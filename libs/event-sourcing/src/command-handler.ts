import { fold, type Decider } from './decider';
import { ConcurrencyConflictError } from './errors';
import type { AppendResult, EventStore } from './event-store';
import type { DomainEvent, EventMetadata } from './types';

export interface HandleOptions<E extends DomainEvent = DomainEvent> {
  metadata: EventMetadata;
  /** From If-Match: the caller's view of the stream. A mismatch is a 409, never retried. */
  expectedVersion?: number;
  /**
   * Without If-Match a lost race is retried by reading and deciding again (never by re-sending the
   * same events), so rules are checked against the state that actually won.
   */
  retries?: number;
  /**
   * Called with the decided events and the version they will follow, before anything is written: a
   * throw refuses the command (the service checks its public contracts here).
   */
  beforeAppend?: (events: E[], afterVersion: number) => void;
}

export interface HandleResult<E extends DomainEvent, S> extends AppendResult {
  state: S;
  events: E[];
}

/** Read the stream, fold, decide, append with the expected version: the one generic command handler. */
export async function handleCommand<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  options: HandleOptions<E>,
): Promise<HandleResult<E, S>> {
  const retries = options.expectedVersion === undefined ? (options.retries ?? 3) : 0;
  for (let attempt = 0; ; attempt++) {
    const { version, events } = await store.readStream<E>(streamId);
    if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
      throw new ConcurrencyConflictError(streamId, options.expectedVersion, version);
    }
    const state = fold(decider, events.map((e) => ({ type: e.type, data: e.data, schemaVersion: e.schemaVersion }) as E));
    const newEvents = decider.decide(command, state);
    if (newEvents.length === 0) {
      return { state, events: [], nextVersion: version, positions: [], lastPosition: 0 };
    }
    options.beforeAppend?.(newEvents, version);
    try {
      const appended = await store.appendToStream(streamId, version, newEvents, options.metadata);
      const newState = newEvents.reduce(decider.evolve, state);
      return { ...appended, state: newState, events: newEvents };
    } catch (err) {
      if (err instanceof ConcurrencyConflictError && attempt < retries) continue;
      throw err;
    }
  }
}
