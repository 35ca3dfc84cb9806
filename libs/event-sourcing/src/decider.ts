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
 * Given-when-then for a decider's specs, one shape for every aggregate (after Emmett's
 * DeciderSpecification): `given` folds the events a stream holds into its state; `when` decides a
 * command on the state those events make; `then` decides commands one after another from `events`,
 * each on the state the ones before made, and returns the whole history.
 */
export function deciderSpec<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
  const given = (...events: Event[]): State => fold(decider, events);
  return {
    given,
    when: (events: readonly Event[], command: Command): Event[] => decider.decide(command, given(...events)),
    then: (events: Event[], ...commands: Command[]): Event[] => commands.reduce<Event[]>((acc, c) => [...acc, ...decider.decide(c, given(...acc))], events),
  };
}
