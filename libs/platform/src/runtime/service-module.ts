import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { PlatformModule } from '../platform.module';
import { eventSourcedServiceProviders, type ServiceRuntimeOptions } from './event-sourced-service';

export interface ServiceModuleOptions {
  /** Its own topic and integration mapper, or `{ consumerOnly: true }`. */
  runtime: ServiceRuntimeOptions;
  /** Its event-handler module (`src/projections.ts`), the one `npm run rebuild` replays. */
  handlers: Type<unknown> | DynamicModule;
  /** Its HTTP controllers, in routing order. */
  controllers: Type<unknown>[];
  /** Its aggregates' handles (`aggregateFor`). */
  aggregates?: Type<unknown>[];
  /** Its read models (`readModelFor`), what routes and schedulers read. */
  readModels?: Type<unknown>[];
  /** The collections its commands and schedulers write themselves (`ownedCollection`, `streamIndex`). */
  indexes?: Type<unknown>[];
  /** What runs beside the routes: scheduled processes, a billing run. */
  processes?: Provider[];
}

/**
 * The one way a vaops service is wired: the platform (auth, validation, problem details, metrics, health,
 * idempotency, rate limits), the event-sourced runtime and the service's own handlers, controllers and
 * providers.
 */
@Module({})
export class ServiceModule {
  static forRoot(config: AppConfig, { runtime, handlers, controllers, aggregates = [], readModels = [], indexes = [], processes = [] }: ServiceModuleOptions): DynamicModule {
    return {
      module: ServiceModule,
      imports: [PlatformModule.forRoot({ config }), handlers],
      controllers,
      providers: [...eventSourcedServiceProviders({ config, ...runtime }), ...aggregates, ...readModels, ...indexes, ...processes],
    };
  }
}

/** A service's app module as `runService` takes it: built from the settings it reads at start. */
export type ServiceModuleFactory = (config: AppConfig) => DynamicModule;

/** Declares a service's app module once (`src/app.module.ts`); `main.ts` hands it to `runService`. */
export const serviceModule =
  (options: ServiceModuleOptions): ServiceModuleFactory =>
  (config) =>
    ServiceModule.forRoot(config, options);
