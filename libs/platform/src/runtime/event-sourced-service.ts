import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit, type Provider } from '@nestjs/common';
import type { Clock, IntegrationMapper } from '@vaops/event-sourcing';
import type { AppConfig } from '../config/config';
import { IDEMPOTENCY_STORE, MongoIdempotencyStore } from '../http/idempotency';
import { JsonLogger } from '../logging/json-logger';
import { Metrics } from '../metrics/metrics';
import { CLOCK, HEALTH_CHECKS, RUNTIME } from '../tokens';
import { EventSourcedRuntime } from './event-sourced-runtime';
import { READ_MODELS } from './read-model';

/** Topics (and consumer groups) get this prefix so test runs on a shared broker never meet. */
export const topicPrefix = (): string => process.env.VAOPS_TOPIC_PREFIX ?? '';

/** What kind of event-sourced service the runtime serves: one that owns a topic, or a consumer-only one. */
export type ServiceRuntimeOptions =
  | {
      /** The service's own topic, without prefix (`Topics.clients`). */
      topic: string;
      map: IntegrationMapper;
      consumerOnly?: false;
    }
  | {
      /** Built only from other services' events: no event store, no relay, publishes nothing. */
      consumerOnly: true;
    };

export type EventSourcedServiceOptions = ServiceRuntimeOptions & { config: AppConfig };

@Injectable()
class RuntimeLifecycle implements OnModuleInit, OnApplicationShutdown {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    @Inject(RUNTIME) private readonly runtime: EventSourcedRuntime,
    @Inject(IDEMPOTENCY_STORE) private readonly keys: MongoIdempotencyStore,
  ) {}
  async onModuleInit(): Promise<void> {
    await this.runtime.start();
    await this.keys.ensureIndexes();
    // Idempotency keys past 24 h: once an hour, an indexed range delete (quiet at rest otherwise)
    this.sweeper = setInterval(() => void this.keys.sweep(Date.now()).catch(() => undefined), 60 * 60 * 1000);
    this.sweeper.unref();
  }
  async onApplicationShutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.runtime.stop();
  }
}

/**
 * The providers that make a Nest app an event-sourced vaops service: RUNTIME, its lifecycle, its health checks
 * (Kafka and MongoDB, consumer-only or not).
 */
export function eventSourcedServiceProviders(o: EventSourcedServiceOptions): Provider[] {
  return [
    {
      provide: RUNTIME,
      inject: [Metrics, JsonLogger, CLOCK],
      useFactory: (metrics: Metrics, logger: JsonLogger, clock: Clock) =>
        new EventSourcedRuntime({
          config: o.config,
          metrics,
          logger,
          clock,
          ...(o.consumerOnly ? { consumerOnly: true as const } : { topic: `${topicPrefix()}${o.topic}`, map: o.map }),
          partitions: Number(process.env.VAOPS_TOPIC_PARTITIONS ?? 3),
          groupPrefix: topicPrefix(),
        }),
    },
    // Idempotency-Key answers in the service's database (the interceptor finds this provider)
    { provide: IDEMPOTENCY_STORE, inject: [RUNTIME], useFactory: (rt: EventSourcedRuntime) => new MongoIdempotencyStore(() => rt[READ_MODELS].db) },
    RuntimeLifecycle,
    { provide: HEALTH_CHECKS, inject: [RUNTIME], useFactory: (rt: EventSourcedRuntime) => rt.healthChecks() },
  ];
}
