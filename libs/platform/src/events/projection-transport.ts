import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { holdsUnsealed, type EventEnvelope } from '@vaops/contracts';
import type { ProjectionDefinition, ProjectionHandler as HandlerFn } from '@vaops/projections';
import type { PersonKeys } from '../personal-data/person-keys';
import { PROJECTION_HANDLER_EXTRAS, type ProjectionHandlerExtras, type ProjectionSpec } from './projection-handler';

export interface ProjectionTransportOptions {
  /** Prefix of the topics read (VAOPS_TOPIC_PREFIX: test runs on one broker never meet). */
  topicPrefix?: string;
  /** Runs the projections built from the handlers (EventSourcedRuntime.consume); none: only build them (rebuilds). */
  run?: (definitions: ProjectionDefinition[]) => Promise<void>;
  /**
   * The instance of a handler class (the app's `get`): the transport calls handler methods directly. Nest's
   * pipeline for a registered handler (guards, interceptors, pipes, exception filters) costs about 1.4 µs a
   * call against 0.07 µs, the applier calls a handler twice per event, and its exception filter would log
   * and replace every error a handler throws (the applier's recording pass swallows some on purpose).
   */
  resolve: (handlerClass: ProjectionHandlerExtras['handlerClass']) => unknown;
  /**
   * The person keyring: plaintext personal data an upcaster marked (`unsealed`, from events published
   * before it was encrypted) is sealed under the person's key, or erased, before any handler sees it.
   * Without one, such an event fails its handler (dead-lettered): plaintext is never handed on.
   */
  keys?: PersonKeys;
}

/** Whether the keyring must see the event first: plaintext to seal, or an erasure to drop a cached key for. */
const concernsKeys = (e: EventEnvelope): boolean => {
  if (e.type === 'PersonErased' || e.type === 'EngagementStarted') return true;
  return holdsUnsealed(e.data);
};

/**
 * The custom transport strategy of event handlers: Nest registers every `@ProjectionHandler` (an
 * `@EventPattern({ projection, type })`) here, and the transport builds one ProjectionDefinition per
 * projection from them (each calling its method directly: the registration is Nest's, the per-event
 * call is not) and hands them to our ProjectionRunner (through the runtime), so batching, one
 * bulk write and one checkpoint per batch, retries and the DLQ stay ours. An event type no handler of a
 * projection takes is skipped by it; a handler that throws fails its batch like any projection handler
 * (retried, split, then dead-lettered). The rebuild CLI builds the same definitions from the same handlers.
 */
export class ProjectionTransport extends Server implements CustomTransportStrategy {
  private definitionsBuilt: ProjectionDefinition[] | undefined;

  constructor(private readonly o: ProjectionTransportOptions) {
    super();
  }

  listen(callback: (err?: unknown) => void): void {
    const run = async () => {
      const definitions = this.definitions();
      await this.o.run?.(definitions);
    };
    run().then(() => callback(), callback);
  }

  close(): void {
    // the runtime stops the runners it started (on application shutdown)
  }

  on(): never {
    throw new Error('ProjectionTransport emits no events');
  }

  unwrap<T>(): T {
    throw new Error('ProjectionTransport has no client of its own: the runtime holds the Kafka client');
  }

  /** The projections of the registered handlers, one definition per projection name. */
  definitions(): ProjectionDefinition[] {
    if (this.definitionsBuilt) return this.definitionsBuilt;
    const prefix = this.o.topicPrefix ?? '';
    const built = new Map<string, { spec: ProjectionSpec; handlers: Record<string, HandlerFn> }>();
    // a method declared for several types is registered once per type, all with the same extras
    const methods = new Set<ProjectionHandlerExtras>();
    for (const [pattern, handler] of this.messageHandlers) {
      const extras = (handler.extras as Record<string, ProjectionHandlerExtras | undefined> | undefined)?.[PROJECTION_HANDLER_EXTRAS];
      if (!extras) throw new Error(`ProjectionTransport serves @ProjectionHandler methods only; ${pattern} is not one`);
      if (handler.next) throw new Error(`two handlers of one event type in projection ${extras.projection.name} (${pattern}): one method per projection and event type`);
      methods.add(extras);
    }
    for (const extras of methods) {
      const entry = built.get(extras.projection.name) ?? { spec: extras.projection, handlers: {} };
      if (entry.spec !== extras.projection) throw new Error(`two projections are named ${extras.projection.name}`);
      const handle = this.callable(extras);
      for (const type of extras.types) entry.handlers[type] = handle;
      built.set(extras.projection.name, entry);
    }
    this.definitionsBuilt = [...built.values()].map(({ spec, handlers }) => ({
      name: spec.name,
      topics: spec.topics.map((t) => `${prefix}${t}`),
      collections: spec.collections,
      handlers,
    }));
    return this.definitionsBuilt;
  }

  private callable(extras: ProjectionHandlerExtras): HandlerFn {
    const instance = this.o.resolve(extras.handlerClass) as Record<string | symbol, unknown> | undefined;
    const method = instance?.[extras.methodName];
    if (typeof method !== 'function') throw new Error(`no instance of ${extras.handlerClass.name} to call ${String(extras.methodName)} on: is it a controller of the module?`);
    const handle = method.bind(instance) as HandlerFn;
    const keys = this.o.keys;
    return (event, store) => {
      // most events carry no personal data to seal: handed on as they are, without another await
      if (!concernsKeys(event)) return handle(event, store);
      if (keys) return keys.sealEvent(event).then((sealed) => handle(sealed, store));
      if (event.type === 'PersonErased' || event.type === 'EngagementStarted') return handle(event, store);
      return Promise.reject(new Error(`${event.type} ${event.eventId} carries plaintext personal data and no keyring was given to seal it`));
    };
  }
}
