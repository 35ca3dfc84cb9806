import { ConcurrencyConflictError, fold, handleCommand, InMemoryEventStore, type Decider, type DomainEvent, type EventMetadata } from '@vaops/event-sourcing';

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** What a refusal must be beyond its class: its stable code, a predicate, or the fields it must have (`toMatchObject`). */
export type ErrorCheck<E extends Error> = string | ((error: E) => boolean) | Partial<Record<keyof E, unknown>>;

export interface DeciderOutcome<Event extends DomainEvent, State> {
  /** The commands decided exactly these events (`toEqual`: asymmetric matchers allowed). */
  then(expected: readonly Event[]): void;
  /** The commands decided these events, each matched as `toMatchObject` does (same count, listed fields only). */
  thenMatches(expected: readonly object[]): void;
  /** The commands decided nothing: a retry, or a state that already is what the command asks for. */
  thenNothingHappened(): void;
  /** A command was refused with `errorClass`, and, when given, the code, predicate or fields of `check`. */
  thenThrows<E extends Error>(errorClass: ErrorClass<E>, check?: ErrorCheck<E>): void;
  /** The events decided, for a scenario that goes on from them (assert on them with then*). */
  events(): Event[];
  /** The given events followed by the ones decided: the stream after the commands. */
  history(): Event[];
  /** The state the history folds to. */
  state(): State;
}

export interface DeciderScenario<Command, Event extends DomainEvent, State> {
  /** Decides the commands one after another, each on the state the events before it make. */
  when(...commands: [Command, ...Command[]]): DeciderOutcome<Event, State>;
  /** The state the given events fold to. */
  state(): State;
}

/**
 * Given / when / then for a decider, after Emmett's DeciderSpecification:
 *
 *   const given = DeciderSpecification.for(clientDecider);
 *   given([]).when(register).then([{ type: 'ClientRegistered', data }]);
 *   given([registered]).when(register).thenNothingHappened();
 *   given([]).when(reserve).thenThrows(DomainError, 'ASSISTANT.NOT_FOUND');
 */
export const DeciderSpecification = {
  for<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
    return (given: Event | readonly Event[] = []): DeciderScenario<Command, Event, State> => {
      const givenEvents: Event[] = Array.isArray(given) ? [...given] : [given as Event];
      return {
        state: () => fold(decider, givenEvents),
        when: (...commands) => outcome(decider, givenEvents, commands),
      };
    };
  },
};

function outcome<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>, given: Event[], commands: Command[]): DeciderOutcome<Event, State> {
  let decided: { events: Event[] } | undefined;
  const run = (): Event[] => {
    if (decided) return decided.events;
    let state = fold(decider, given);
    const events: Event[] = [];
    for (const command of commands) {
      const next = decider.decide(command, state);
      for (const e of next) state = decider.evolve(state, e);
      events.push(...next);
    }
    decided = { events };
    return events;
  };
  return {
    then: (expected) => expect(run()).toEqual(expected),
    thenMatches: (expected) => expect(run()).toMatchObject(expected),
    thenNothingHappened: () => expect(run()).toEqual([]),
    thenThrows: (errorClass, check) => {
      let thrown: { error: unknown } | undefined;
      try {
        run();
      } catch (error) {
        thrown = { error };
      }
      // outside the catch, so that this failure is never taken for the refusal expected
      if (!thrown) throw new Error(`expected the command to be refused with ${errorClass.name}, but it decided ${JSON.stringify(decided?.events)}`);
      expect(thrown.error).toBeInstanceOf(errorClass);
      const error = thrown.error as Error;
      if (check === undefined) return;
      if (typeof check === 'string') expect(error).toMatchObject({ code: check });
      else if (typeof check === 'function') {
        if (!check(error as never)) throw new Error(`the refusal did not pass the check: ${error.name} ${JSON.stringify(error)} ${error.message}`);
      } else expect(error).toMatchObject(check);
    },
    events: () => run(),
    history: () => [...given, ...run()],
    state: () => fold(decider, [...given, ...run()]),
  };
}

/** What a command carries through the command handler in a decider spec: an agency admin's request at a fixed instant. */
export const SPEC_METADATA: EventMetadata = { agencyId: 'ag-1', actor: { sub: 'admin', role: 'agency-admin' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-03-01T00:00:00Z' };

/**
 * One stream of a fresh in-memory event store behind the command handler, for what a decider does at an
 * expected version (a request's If-Match): `execute` answers as the handler does, `version` is the stream's.
 */
export function commandHandlerOn<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>, streamId: string) {
  const store = new InMemoryEventStore();
  return {
    execute: (command: Command, expectedVersion?: number) => handleCommand(store, decider, streamId, command, { metadata: SPEC_METADATA, expectedVersion }),
    version: async () => (await store.readStream(streamId)).version,
  };
}

export interface IfMatchCase<Command> {
  /** Commands in order, each as [command, the If-Match it is sent with, the version the answer names]. */
  changes: [Command, number, number][];
  /** The stream after `first` (sent without If-Match), then commands each refused at a stale If-Match. */
  stale: { first: Command; refused: [Command, number][] };
}

/**
 * The If-Match rules of an aggregate whose commands may ask for what it already holds (settings, a
 * policy), through the command handler on its stream: a command moves the version only when it changes
 * something, and a stale If-Match is refused (409 CONCURRENCY.CONFLICT), even for a command that would
 * change nothing, with nothing recorded.
 */
export function describeIfMatch<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>, streamId: string, { changes, stale }: IfMatchCase<Command>): void {
  describe('at the If-Match version (through the command handler)', () => {
    it('moves to a new version for a change only: a command that changes nothing keeps the version', async () => {
      const stream = commandHandlerOn(decider, streamId);
      const answered: number[] = [];
      for (const [command, ifMatch] of changes) answered.push((await stream.execute(command, ifMatch)).nextVersion);
      expect(answered).toEqual(changes.map(([, , version]) => version));
      expect(await stream.version()).toBe(changes[changes.length - 1][2]);
    });

    it('refuses a stale If-Match, even for a command that would change nothing, and records nothing', async () => {
      const stream = commandHandlerOn(decider, streamId);
      await stream.execute(stale.first);
      const before = await stream.version();
      for (const [command, ifMatch] of stale.refused) {
        const refused = stream.execute(command, ifMatch);
        await expect(refused).rejects.toBeInstanceOf(ConcurrencyConflictError);
        await expect(refused).rejects.toMatchObject({ code: 'CONCURRENCY.CONFLICT' });
      }
      expect(await stream.version()).toBe(before);
    });
  });
}
