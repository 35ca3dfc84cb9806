import type { CommandSource, Decider, DomainEvent, HandleResult, LoadedState, StoredEvent } from '@vaops/event-sourcing';
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
    options: { expectedVersion?: number; retries?: number; fresh?: boolean },
  ): Promise<HandleResult<E, S>>;
  load<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string): Promise<LoadedState<S>>;
  /** Every stored event of the stream, with its metadata, in version order (for history and as-of reads). */
  read<E extends DomainEvent>(streamId: string): Promise<StoredEvent<E>[]>;
}
