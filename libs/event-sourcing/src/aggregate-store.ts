import { createHash } from 'node:crypto';
import type { Decider } from './decider';
import { ConcurrencyConflictError } from './errors';
import type { AppendResult, EventStore } from './event-store';
import type { DomainEvent, EventMetadata, StoredEvent } from './types';

/** A stream's state folded up to `version`, with the agency that owns the stream (its first event's). */
export interface LoadedState<S> {
  state: S;
  version: number;
  /** Undefined for a stream that does not exist yet. */
  agencyId: string | undefined;
}

/** A stored fold of a stream, so a load reads only what follows it. `state` is JSON. */
export interface Snapshot {
  streamId: string;
  version: number;
  agencyId: string;
  /** Which fold produced it (see snapshotSchemaOf); a snapshot of another schema is ignored. */
  schema: string;
  state: string;
}

export interface SnapshotStore {
  read(streamId: string): Promise<Snapshot | null>;
  /** Keeps the newest: a snapshot never replaces one of a higher version. */
  write(snapshot: Snapshot): Promise<void>;
}

/**
 * Builds a command from the state loaded for one attempt (and may refuse it by throwing); called again
 * with the new state when the attempt lost a race or decided on a fold that turned out stale.
 */
export type CommandBuilder<C, S> = (current: LoadedState<S>) => C | Promise<C>;

/** A command, or a builder of it from the stream's state. */
export type CommandSource<C, S> = C | CommandBuilder<C, S>;

export interface ExecuteOptions<E extends DomainEvent = DomainEvent> {
  metadata: EventMetadata;
  /** From If-Match: the caller's view of the stream. A mismatch is a 409, never retried. */
  expectedVersion?: number;
  /**
   * Without If-Match a lost race is decided again against the state that won (never by re-sending
   * the same events), this many times at most, after a short random wait.
   */
  retries?: number;
  /**
   * The stream's id was minted for this command (a new client, assistant, engagement): the first attempt
   * decides on the initial state without reading the store, as on a fold it has not checked. Should the
   * stream exist after all, the append at version 0 fails and the command is decided again on what it holds.
   */
  fresh?: boolean;
  /**
   * Called with the decided events and the version they will follow, before anything is written: a
   * throw refuses the command (the service checks its public contracts here).
   */
  beforeAppend?: (events: E[], afterVersion: number) => void;
}

export interface ExecuteResult<E extends DomainEvent, S> extends AppendResult {
  state: S;
  events: E[];
  /** Lost races decided again before this result. */
  retried: number;
  /** Milliseconds spent loading (all attempts), deciding and appending; waiting in line for the stream. */
  timings: { queue: number; load: number; decide: number; append: number };
}

export interface AggregateStoreOptions {
  snapshots?: SnapshotStore;
  /** Write a snapshot when at least this many events follow the last one (default 100). */
  snapshotEvery?: number;
  /** Streams whose folded state this process keeps (default 5,000; 0 keeps none). */
  cacheSize?: number;
  /** Lost races decided again without If-Match (default 12). */
  retries?: number;
  onRetry?: (streamId: string, attempt: number) => void;
}

interface CacheEntry {
  decider: object;
  loaded: LoadedState<unknown>;
  snapshotVersion: number;
}

/** What identifies a fold: its evolve function, its initial state and its snapshot version. */
type FoldIdentity = { evolve: unknown; initialState: () => unknown; snapshotVersion?: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Which fold a snapshot belongs to: a hash of the decider's `evolve` and initial state, plus its
 * `snapshotVersion` (bump it when a change elsewhere changes what `evolve` computes).
 */
export function snapshotSchemaOf(decider: FoldIdentity): string {
  return createHash('sha256')
    .update(String(decider.evolve))
    .update(JSON.stringify(decider.initialState()))
    .update(String(decider.snapshotVersion ?? 1))
    .digest('hex')
    .slice(0, 16);
}

/** The initial state of a stream taken to be new, not checked against the store. */
const unread = <S>(decider: { initialState(): S }): LoadedState<S> & { checked: boolean } => ({ state: decider.initialState(), version: 0, agencyId: undefined, checked: false });

/**
 * Loads and changes aggregates at a cost that does not grow with their history:
 * - a load starts from the state this process last folded (a cache, checked against the store: only
 *   the events after its version are read, usually none), else from the stream's snapshot, else from
 *   the start; a snapshot is written when enough events follow the last one;
 * - commands on one stream in this process run one after another, so they never race each other;
 *   a race with another process is decided again against the state that won, after a random wait;
 * - optimistic concurrency stays exact: the append is at the loaded version, and If-Match is compared
 *   with it (a stale one is a 409 at once).
 */
export class AggregateStore {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly schemas = new WeakMap<object, string>();

  constructor(
    private readonly store: EventStore,
    private readonly options: AggregateStoreOptions = {},
  ) {}

  /** The stream's current state (strongly consistent: anything appended since the cached fold is read). */
  async load<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string): Promise<LoadedState<S>> {
    const { state, version, agencyId } = await this.loadFold(decider, streamId, true);
    return { state, version, agencyId };
  }

  /**
   * With `check` false, this process's fold when it has one, without asking the store (for a command:
   * an append at its version fails if another process appended since, and the command is decided again).
   */
  private async loadFold<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string, check: boolean): Promise<LoadedState<S> & { checked: boolean }> {
    const cached = this.cache.get(streamId);
    const usable = cached && cached.decider === decider ? cached : undefined;
    if (usable && !check) return { ...(usable.loaded as LoadedState<S>), checked: false };
    let base: LoadedState<S>;
    let snapshotVersion = usable?.snapshotVersion ?? 0;
    if (usable) base = usable.loaded as LoadedState<S>;
    else {
      const snap = await this.readSnapshot<S>(decider, streamId);
      snapshotVersion = snap?.version ?? 0;
      base = snap ?? { state: decider.initialState(), version: 0, agencyId: undefined };
    }
    const { version, events } = await this.store.readStream<E>(streamId, { after: base.version });
    const loaded: LoadedState<S> =
      events.length === 0
        ? base
        : { state: foldFrom(decider, base.state, events), version, agencyId: base.agencyId ?? events[0].metadata.agencyId };
    this.remember(streamId, decider, loaded, snapshotVersion);
    await this.snapshotIfDue(decider, streamId, loaded, snapshotVersion);
    return { ...loaded, checked: true };
  }

  private async snapshotIfDue<S>(decider: FoldIdentity, streamId: string, loaded: LoadedState<S>, snapshotVersion: number): Promise<void> {
    if (loaded.agencyId !== undefined && loaded.version - snapshotVersion >= (this.options.snapshotEvery ?? 100)) {
      await this.writeSnapshot(decider, streamId, loaded);
    }
  }

  /**
   * Load, decide, append at the loaded version; on a lost race (no If-Match) decide again. A command
   * builder is called with the state of each attempt, so what it checks is what the command is decided on.
   */
  async execute<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string, command: CommandSource<C, S>, options: ExecuteOptions<E>): Promise<ExecuteResult<E, S>> {
    const queued = performance.now();
    return this.serially(streamId, async () => {
      const timings = { queue: performance.now() - queued, load: 0, decide: 0, append: 0 };
      const retries = options.expectedVersion === undefined ? (options.retries ?? this.options.retries ?? 12) : 0;
      for (let attempt = 0; ; attempt++) {
        // The first attempt decides on this process's fold without asking the store; an answer that
        // could come from a stale fold (If-Match differs, a rule refuses, nothing to do) is only given
        // after the fold was checked; a stale fold that decides events fails to append and is retried.
        let t = performance.now();
        let loaded = attempt === 0 && options.fresh && !this.cache.has(streamId) ? unread(decider) : await this.loadFold(decider, streamId, attempt > 0);
        timings.load += performance.now() - t;
        let newEvents: E[];
        for (;;) {
          const recheck = async () => {
            t = performance.now();
            loaded = await this.loadFold(decider, streamId, true);
            timings.load += performance.now() - t;
          };
          t = performance.now();
          try {
            // the command is built first (a builder refuses what the caller may not see: a 404 before any 409)
            const built = typeof command === 'function' ? (command as CommandBuilder<C, S>)({ state: loaded.state, version: loaded.version, agencyId: loaded.agencyId }) : command;
            const decided = built instanceof Promise ? await built : built;
            if (options.expectedVersion !== undefined && options.expectedVersion !== loaded.version) {
              throw new ConcurrencyConflictError(streamId, options.expectedVersion, loaded.version);
            }
            newEvents = decider.decide(decided, loaded.state);
          } catch (err) {
            timings.decide += performance.now() - t;
            if (!loaded.checked) {
              await recheck();
              continue;
            }
            throw err;
          }
          timings.decide += performance.now() - t;
          if (newEvents.length === 0 && !loaded.checked) {
            await recheck();
            continue;
          }
          break;
        }
        if (newEvents.length === 0) {
          return { state: loaded.state, events: [], nextVersion: loaded.version, positions: [], lastPosition: 0, retried: attempt, timings };
        }
        options.beforeAppend?.(newEvents, loaded.version);
        t = performance.now();
        try {
          const appended = await this.store.appendToStream(streamId, loaded.version, newEvents, options.metadata);
          timings.append += performance.now() - t;
          const state = newEvents.reduce(decider.evolve, loaded.state);
          const snapshotVersion = this.cache.get(streamId)?.snapshotVersion ?? 0;
          const folded = { state, version: appended.nextVersion, agencyId: loaded.agencyId ?? options.metadata.agencyId };
          this.remember(streamId, decider, folded, snapshotVersion);
          await this.snapshotIfDue(decider, streamId, folded, snapshotVersion);
          return { ...appended, state, events: newEvents, retried: attempt, timings };
        } catch (err) {
          timings.append += performance.now() - t;
          if (!(err instanceof ConcurrencyConflictError) || attempt >= retries) throw err;
          this.options.onRetry?.(streamId, attempt + 1);
          // another process won: wait a little (random, growing) so racers spread out, then decide again
          await sleep(Math.random() * Math.min(250, 4 * 2 ** attempt));
        }
      }
    });
  }

  /** Forget what this process folded (tests; or a stream known to have been rewritten). */
  forget(streamId?: string): void {
    if (streamId === undefined) this.cache.clear();
    else this.cache.delete(streamId);
  }

  private async serially<T>(streamId: string, job: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(streamId) ?? Promise.resolve();
    const mine = previous.then(job, job);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(streamId, settled);
    void settled.then(() => {
      if (this.queues.get(streamId) === settled) this.queues.delete(streamId);
    });
    return mine;
  }

  private remember(streamId: string, decider: object, loaded: LoadedState<unknown>, snapshotVersion: number): void {
    const size = this.options.cacheSize ?? 5_000;
    if (size <= 0) return;
    const current = this.cache.get(streamId);
    // a slower concurrent reader must not replace a newer fold
    if (current && current.decider === decider && current.loaded.version > loaded.version) return;
    this.cache.delete(streamId);
    this.cache.set(streamId, { decider, loaded, snapshotVersion });
    if (this.cache.size > size) this.cache.delete(this.cache.keys().next().value!);
  }

  private schemaOf(decider: FoldIdentity): string {
    let schema = this.schemas.get(decider);
    if (!schema) this.schemas.set(decider, (schema = snapshotSchemaOf(decider)));
    return schema;
  }

  private async readSnapshot<S>(decider: FoldIdentity, streamId: string): Promise<LoadedState<S> | null> {
    if (!this.options.snapshots) return null;
    const snap = await this.options.snapshots.read(streamId);
    if (!snap || snap.schema !== this.schemaOf(decider)) return null;
    return { state: JSON.parse(snap.state) as S, version: snap.version, agencyId: snap.agencyId };
  }

  private async writeSnapshot<S>(decider: FoldIdentity, streamId: string, loaded: LoadedState<S>): Promise<void> {
    if (!this.options.snapshots || loaded.agencyId === undefined) return;
    await this.options.snapshots.write({
      streamId,
      version: loaded.version,
      agencyId: loaded.agencyId,
      schema: this.schemaOf(decider),
      state: JSON.stringify(loaded.state),
    });
    const entry = this.cache.get(streamId);
    if (entry && entry.loaded.version === loaded.version) entry.snapshotVersion = loaded.version;
  }
}

function foldFrom<E extends DomainEvent, S>(decider: Pick<Decider<unknown, E, S>, 'evolve'>, state: S, events: StoredEvent<E>[]): S {
  let s = state;
  for (const e of events) s = decider.evolve(s, { type: e.type, data: e.data, schemaVersion: e.schemaVersion } as E);
  return s;
}
