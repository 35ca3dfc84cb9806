import type { CommandSource, Decider, DomainEvent, HandleResult, LoadedState } from '@vaops/event-sourcing';
import type { Actor } from './aggregate';

/**
 * The runtime's command path, reached by the Aggregate handle only (this module is not exported from
 * @vaops/platform): routes and schedulers say which aggregate they act on, never which decider and
 * stream id to pair.
 */
export const COMMANDS = Symbol('vaops.commands');

export interface CommandPort {
  execute<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: CommandSource<C, S>,
    actor: Actor,
    options: { expectedVersion?: number; retries?: number },
  ): Promise<HandleResult<E, S>>;
  load<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string): Promise<LoadedState<S>>;
}
