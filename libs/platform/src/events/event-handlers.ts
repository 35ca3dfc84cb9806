import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import type { ProjectionDefinition } from '@vaops/projections';
import type { EventSourcedRuntime } from '../runtime/event-sourced-runtime';
import { RUNTIME } from '../tokens';
import { topicPrefix } from '../runtime/event-sourced-service';
import { PersonKeys } from '../personal-data/person-keys';
import { ProjectionTransport } from './projection-transport';

/** The service's runtime, if it has one (the console has none). Nest's `get` would end the process when asked for a provider that is missing. */
const runtimeOf = (app: INestApplication): EventSourcedRuntime | undefined => {
  const provided = [...app.get(ModulesContainer).values()].some((m) => m.providers.has(RUNTIME));
  return provided ? app.get<EventSourcedRuntime>(RUNTIME, { strict: false }) : undefined;
};

/**
 * Serves a service's event handlers (its `@ProjectionHandler` controllers) on ProjectionTransport: the
 * app is initialised first (the runtime connects), then the transport is connected as a Nest
 * microservice and started, and it runs the projections on the runtime's consumer groups.
 */
export async function startEventHandlers(app: INestApplication): Promise<void> {
  const runtime = runtimeOf(app);
  if (!runtime) return;
  await app.init();
  const strategy = new ProjectionTransport({
    topicPrefix: topicPrefix(),
    run: (definitions) => runtime.consume(definitions),
    resolve: (handlerClass) => app.get(handlerClass, { strict: false }),
    keys: app.get(PersonKeys, { strict: false }),
  });
  app.connectMicroservice({ strategy });
  await app.startAllMicroservices();
}

/**
 * The projections a module's event handlers make, built by the same transport as in the service but not
 * run: for rebuilds and tests. Handler modules hold only their handlers (and what those inject), so they
 * start without the rest of the service.
 */
export async function projectionsOf(handlers: Type<unknown> | DynamicModule | Type<unknown>[], prefix = '', keys?: PersonKeys): Promise<ProjectionDefinition[]> {
  if (Array.isArray(handlers)) return projectionsOf({ module: HandlersOnly, controllers: handlers }, prefix, keys);
  // resolved once the microservice has registered the handlers (init), never before
  const strategy = new ProjectionTransport({ topicPrefix: prefix, resolve: (handlerClass): unknown => microservice.get(handlerClass, { strict: false }), keys });
  const microservice = await NestFactory.createMicroservice(handlers as Type<unknown>, { strategy, logger: false });
  await microservice.init();
  const definitions = strategy.definitions();
  await microservice.close();
  return definitions;
}

/** The module of handler classes given as a list (tests). */
@Module({})
class HandlersOnly {}
