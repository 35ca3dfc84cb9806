import { EventPattern } from '@nestjs/microservices';
import type { PublicEvent, PublicEventType } from '@vaops/contracts';
import type { ProjectionDefinition, ReadModelStore } from '@vaops/projections';

/**
 * What a projection is apart from its handlers: its name (also its consumer group and checkpoints), the
 * topics it reads (without the test runs' prefix, which the transport adds) and its collections.
 */
export interface ProjectionSpec {
  readonly name: string;
  readonly topics: readonly string[];
  readonly collections: ProjectionDefinition['collections'];
}

/** The pattern of a projection's event handler, as Nest registers it: one per projection and event type. */
export interface ProjectionPattern {
  projection: string;
  type: string;
}

/** A handler method: the decoded event (of one of the types it is declared for), its data typed from libs/contracts, and the projection's store. */
export type ProjectionHandlerMethod<T extends PublicEventType> = (event: PublicEvent<T>, store: ReadModelStore) => Promise<void>;

/** What the transport learns of a handler besides its pattern (Nest's pattern extras). */
export interface ProjectionHandlerExtras {
  projection: ProjectionSpec;
  /** The event types the method takes, in the order declared. */
  types: readonly string[];
  /** The class and method, so the transport can call it without Nest's per-call pipeline. */
  handlerClass: abstract new (...args: never[]) => unknown;
  methodName: string | symbol;
}

export const PROJECTION_HANDLER_EXTRAS = 'vaopsProjectionHandler';

/**
 * `@ProjectionHandler(APPOINTMENTS, 'AppointmentBooked')` on a method of a `@Controller()`: Nest's
 * `@EventPattern({ projection, type })`, served by ProjectionTransport. The method must take the event of
 * that type (typed: no cast of `e.data`) and the store, and be idempotent and deterministic like every
 * projection handler (a rebuild replays it).
 *
 * A method that does the same with several types names them all
 * (`@ProjectionHandler(HISTORY, 'TimesheetSubmitted', 'TimesheetApproved')`) and takes their union
 * (`PublicEvent<'TimesheetSubmitted' | 'TimesheetApproved'>`): one pattern per type, as Nest registers an
 * `@EventPattern` given a list.
 */
export function ProjectionHandler<T extends PublicEventType>(projection: ProjectionSpec, ...types: [T, ...T[]]) {
  return <M extends ProjectionHandlerMethod<T>>(target: object, methodName: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    const extras: ProjectionHandlerExtras = { projection, types, handlerClass: target.constructor as ProjectionHandlerExtras['handlerClass'], methodName };
    const patterns: ProjectionPattern[] = types.map((type) => ({ projection: projection.name, type }));
    EventPattern(patterns, { [PROJECTION_HANDLER_EXTRAS]: extras })(target, methodName, descriptor);
  };
}
