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
 * The `default` of a decide's switch over its command union: the compiler proves it unreachable (a new
 * command without its case does not compile), and a command from outside the union fails loudly.
 */
export function unknownCommand(command: never): never {
  throw new Error(`unknown command ${JSON.stringify(command)}`);
}
