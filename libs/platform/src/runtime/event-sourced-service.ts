import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit, type Provider } from '@nestjs/common';
import type { Clock, IntegrationMapper } from '@vaops/event-sourcing';
import { connectMongo, pingMongo } from '@vaops/mongo';
import type { Db } from 'mongodb';
import type { Connection } from 'mongoose';
import type { AppConfig } from '../config/config';
import { IDEMPOTENCY_STORE, MongoIdempotencyStore } from '../http/idempotency';
import { DEFAULT_KEYRING_DB, keyringMasterKey, keyringPreviousMasterKeys, MongoPersonKeyStore } from '../personal-data/mongo-person-keys';
import { PersonKeys } from '../personal-data/person-keys';
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

const KEYRING_CONNECTION = Symbol('KEYRING_CONNECTION');

/**
 * The connection to the keyring database shared by the services (VAOPS_KEYRING_URL, default the
 * service's MONGO_URL server; VAOPS_KEYRING_DB, default `vaops_keyring`), opened with the runtime.
 */
class KeyringConnection {
  private conn: Connection | undefined;
  constructor(private readonly config: AppConfig) {}
  async open(): Promise<void> {
    this.conn ??= await connectMongo(process.env.VAOPS_KEYRING_URL ?? this.config.mongoUrl, process.env.VAOPS_KEYRING_DB ?? DEFAULT_KEYRING_DB);
  }
  async ping(): Promise<void> {
    if (!this.conn) throw new Error('the keyring database is not connected');
    await pingMongo(this.conn);
  }
  db(): Db {
    if (!this.conn?.db) throw new Error('the keyring database is not connected yet');
    return this.conn.db as unknown as Db;
  }
  async close(): Promise<void> {
    await this.conn?.close();
    this.conn = undefined;
  }
}

@Injectable()
class RuntimeLifecycle implements OnModuleInit, OnApplicationShutdown {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    @Inject(RUNTIME) private readonly runtime: EventSourcedRuntime,
    @Inject(IDEMPOTENCY_STORE) private readonly keys: MongoIdempotencyStore,
    @Inject(KEYRING_CONNECTION) private readonly keyring: KeyringConnection,
  ) {}
  async onModuleInit(): Promise<void> {
    await this.keyring.open();
    await this.runtime.start();
    await this.keys.ensureIndexes();
    // Idempotency keys past 24 h: once an hour, an indexed range delete (quiet at rest otherwise)
    this.sweeper = setInterval(() => void this.keys.sweep(Date.now()).catch(() => undefined), 60 * 60 * 1000);
    this.sweeper.unref();
  }
  async onApplicationShutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.runtime.stop();
    await this.keyring.close();
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
    { provide: KEYRING_CONNECTION, useFactory: () => new KeyringConnection(o.config) },
    // the person keyring (crypto-shredding of personal data): routes seal and reveal through it, the event handlers' transport seals old plaintext
    {
      provide: PersonKeys,
      inject: [KEYRING_CONNECTION],
      useFactory: (c: KeyringConnection) => new PersonKeys(new MongoPersonKeyStore(() => c.db()), { masterKey: keyringMasterKey(process.env, o.config.environment), previousMasterKeys: keyringPreviousMasterKeys(process.env) }),
    },
    RuntimeLifecycle,
    {
      provide: HEALTH_CHECKS,
      inject: [RUNTIME, KEYRING_CONNECTION],
      // names and emails are sealed and revealed through the keyring: without it the service cannot answer them
      useFactory: (rt: EventSourcedRuntime, keyring: KeyringConnection) => [...rt.healthChecks(), { name: 'keyring', check: () => keyring.ping() }],
    },
  ];
}
