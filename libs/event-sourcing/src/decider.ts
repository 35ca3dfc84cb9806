import type { DomainEvent } from './types';

/**
 * The Decider pattern: pure functions, no clock, no ids, no I/O. `now` and ids arrive in the command.
 * `decide` throws a DomainError when a rule forbids the command.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  decide: (command: Command, state: State) => Event[];
  /**
   * Part of the key of stored snapshots, with a hash of `evolve` and the initial state: bump it when a
   * change outside `evolve` (a helper it calls) changes the state it folds, so old snapshots are not used.
   */
  snapshotVersion?: number;
}

export function fold<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, e);
  return state;
}

/**
 * `decide` as a table: one function per command type, given the command narrowed to that type. A command
 * of the union without its function does not compile.
 */
export type CommandHandlers<Command extends { type: string }, Event extends DomainEvent, State> = {
  [Type in Command['type']]: (command: Extract<Command, { type: Type }>, state: State) => Event[];
};

/**
 * A decider whose `decide` is a table of command handlers (Emmett-style), so no decide repeats the
 * dispatch on the command's type:
 * `defineDecider<CalendarCommand, CalendarEvent, CalendarState>({ initialState, evolve, decide: { Book(command, state) {…}, … } })`.
 */
export function defineDecider<Command extends { type: string }, Event extends DomainEvent, State>(
  definition: Omit<Decider<Command, Event, State>, 'decide'> & { decide: CommandHandlers<Command, Event, State> },
): Decider<Command, Event, State> {
  const handlers = definition.decide;
  return {
    ...definition,
    decide: (command, state) => {
      const type = command.type as Command['type'];
      // a command from outside the union (typed away by a cast, or from JSON) fails loudly
      if (!Object.hasOwn(handlers, type)) throw new Error(`unknown command ${JSON.stringify(command)}`);
      return handlers[type](command as Extract<Command, { type: typeof type }>, state);
    },
  };
}
