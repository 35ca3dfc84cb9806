import { Inject, Injectable } from '@nestjs/common';
import type { Decider, DomainEvent, HandleResult, LoadedState, StoredEvent } from '@vaops/event-sourcing';
import { upTo } from '../history/history';
import type { Principal } from '../auth/principal';
import { RUNTIME } from '../tokens';
import { COMMANDS, type CommandPort } from './commands';
import type { EventSourcedRuntime, SystemActor } from './event-sourced-runtime';

/** Who a command is executed for: a caller, or a scheduled process acting for an agency. */
export type Actor = Principal | SystemActor;

/** A stream's state as its agency sees it. */
export interface Current<S> {
  state: S;
  version: number;
}

/**
 * Builds the command from the stream's state for this very attempt, and may refuse it by throwing (a
 * 404 for what the caller may not see): `null` when the stream does not exist or is another agency's.
 * Called again with the new state when the attempt lost a race (without If-Match).
 */
export type CommandFrom<C, S> = (current: Current<S> | null) => C | Promise<C>;

export interface AggregateExecuteOptions {
  /** From If-Match: the version the caller saw. A mismatch is a 409 CONCURRENCY.CONFLICT, never retried. */
  expectedVersion?: number;
  /** Lost races decided again without If-Match (default 12): more for a stream many writers share. */
  retries?: number;
  /**
   * The id was minted for this command (`newId()`): nothing is read before deciding, since no stream can
   * hold it yet. Should one, the command is decided again on it, like any lost race.
   */
  fresh?: boolean;
}

/** A stream's state as it stood at an instant, with the events it was folded from. */
export interface PastState<S, E extends DomainEvent> extends Current<S> {
  events: StoredEvent<E>[];
}

/**
 * Folds the events that had occurred at `asOf` (a prefix of the stream, by `occurredAt`): null when
 * none had, so the stream did not exist then.
 */
export function foldAsOf<E extends DomainEvent, S>(decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>, events: StoredEvent<E>[], asOf: Date): PastState<S, E> | null {
  const past = upTo(events, asOf, (e) => e.metadata.occurredAt);
  if (past.length === 0) return null;
  let state = decider.initialState();
  for (const e of past) state = decider.evolve(state, { type: e.type, data: e.data, schemaVersion: e.schemaVersion } as E);
  return { state, version: past[past.length - 1].version, events: past };
}

/** What `load` answers for an agency: null when the stream does not exist or belongs to another one. */
export const ownedBy = <S>(loaded: LoadedState<S>, agencyId: string): Current<S> | null =>
  loaded.version === 0 || loaded.agencyId !== agencyId ? null : { state: loaded.state, version: loaded.version };

/**
 * One aggregate's streams, bound once to its decider and to how an id names its stream (after Emmett's
 * `CommandHandler(getEventStore, toStreamId, decider)`): `engagements.execute(id, command, principal)`.
 * A service declares one injectable class per aggregate with `aggregateFor`.
 */
export class Aggregate<C, E extends DomainEvent, S, Id = string> {
  private readonly commands: CommandPort;

  constructor(
    runtime: EventSourcedRuntime,
    readonly decider: Decider<C, E, S>,
    readonly streamIdOf: (id: Id) => string,
  ) {
    this.commands = runtime[COMMANDS];
  }

  /** The stream's current state (strongly consistent), or null when it does not exist or is another agency's. */
  async load(id: Id, agencyId: string): Promise<Current<S> | null> {
    return ownedBy(await this.commands.load(this.decider, this.streamIdOf(id)), agencyId);
  }

  /**
   * Every event of the stream with its metadata (who, when, the correlation id), in order: null when the
   * stream does not exist or is another agency's. For streams of one entity (an engagement, an invoice):
   * it reads the whole stream, so a stream that collects years of many things keeps a history read model.
   */
  async history(id: Id, agencyId: string): Promise<StoredEvent<E>[] | null> {
    const events = await this.commands.read<E>(this.streamIdOf(id));
    return events.length === 0 || events[0].metadata.agencyId !== agencyId ? null : events;
  }

  /** The stream's state as it stood at `asOf`, folded with the decider's `evolve`: null when it did not exist yet then, or is another agency's. */
  async loadAsOf(id: Id, agencyId: string, asOf: Date): Promise<PastState<S, E> | null> {
    const events = await this.history(id, agencyId);
    return events ? foldAsOf(this.decider, events, asOf) : null;
  }

  /**
   * Decides a command on the stream and appends its events, on behalf of `actor`. Given a function, the
   * command is built from the state each attempt decides on, so a route folds the stream once.
   */
  execute(id: Id, command: C | CommandFrom<C, S>, actor: Actor, options: AggregateExecuteOptions = {}): Promise<HandleResult<E, S>> {
    const source =
      typeof command === 'function' ? (loaded: LoadedState<S>) => (command as CommandFrom<C, S>)(ownedBy(loaded, actor.agencyId)) : command;
    return this.commands.execute(this.decider, this.streamIdOf(id), source, actor, options);
  }
}

/**
 * The base of a service's injectable handle of one aggregate, so that controllers and schedulers
 * depend on `Engagements`, not on the runtime:
 * `@Injectable() export class Engagements extends aggregateFor(engagementDecider, engagementStreamId) {}`.
 */
export function aggregateFor<C, E extends DomainEvent, S, Id = string>(
  decider: Decider<C, E, S>,
  streamIdOf: (id: Id) => string,
): new (runtime: EventSourcedRuntime) => Aggregate<C, E, S, Id> {
  @Injectable()
  class Handle extends Aggregate<C, E, S, Id> {
    constructor(@Inject(RUNTIME) runtime: EventSourcedRuntime) {
      super(runtime, decider, streamIdOf);
    }
  }
  return Handle;
}
