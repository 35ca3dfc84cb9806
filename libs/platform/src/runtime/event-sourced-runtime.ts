import type { Db } from 'mongodb';
import type { Connection } from 'mongoose';
import type { Kafka } from 'kafkajs';
import {
  AggregateStore,
  randomId,
  OutboxRelay,
  type Clock,
  type CommandSource,
  type Decider,
  type DomainEvent,
  type HandleResult,
  type IntegrationMapper,
  type StoredEvent,
} from '@vaops/event-sourcing';
import { validateEvent, type EventMetadata } from '@vaops/contracts';
import { createKafka, KafkaEventPublisher, provisionEventTopics } from '@vaops/kafka';
import { connectMongo, MongoEventStore, MongoLease, MongoSnapshotStore, pingMongo } from '@vaops/mongo';
import { CheckpointStore, ProjectionRunner, projectionHasReached, type ProjectionDefinition } from '@vaops/projections';
import type { AppConfig } from '../config/config';
import type { HealthCheck } from '../health/health.controller';
import { currentCorrelationId, recordTiming } from '../logging/correlation';
import type { JsonLogger } from '../logging/json-logger';
import type { Metrics } from '../metrics/metrics';
import { waitFor } from '../http/read-after-write';
import { Aggregate, type Actor } from './aggregate';
import { COMMANDS, type CommandPort } from './commands';
import { READ_MODELS, type ReadModelPort } from './read-model';
import { ProgressSignals } from './progress-signals';

interface RuntimeCommonOptions {
  config: AppConfig;
  metrics: Metrics;
  logger: JsonLogger;
  clock: Clock;
  /** Projections run from the start; a service's own come from its event handlers (ProjectionTransport, `consume`). */
  projections?: ProjectionDefinition[];
  partitions?: number;
  /** Prefix of consumer group ids (with VAOPS_TOPIC_PREFIX, keeps test runs apart on one broker). */
  groupPrefix?: string;
}

/** A service that decides commands: its event store, and the outbox relay that publishes to its topic. */
export interface PublishingRuntimeOptions extends RuntimeCommonOptions {
  /** The topic this service publishes its public events to. */
  topic: string;
  map: IntegrationMapper;
  consumerOnly?: false;
}

/**
 * A service built only from other services' events (analytics): projections, checkpoints, metrics and
 * rebuilds as usual, but no event store, no outbox relay, no topic of its own and nothing published.
 */
export interface ConsumerOnlyRuntimeOptions extends RuntimeCommonOptions {
  consumerOnly: true;
  topic?: undefined;
  map?: undefined;
}

export type RuntimeOptions = PublishingRuntimeOptions | ConsumerOnlyRuntimeOptions;

/**
 * Validation on produce: every public event a command would publish must match the JSON Schema of its
 * type and version (libs/contracts/schemas), or the command is refused before anything is written
 * (EventContractError, answered 500 EVENT.CONTRACT_VIOLATION: a bug of this service, never the caller's).
 */
export function checkPublicContracts(map: IntegrationMapper, streamId: string, events: DomainEvent[], afterVersion: number, metadata: EventMetadata): void {
  events.forEach((e, i) => {
    const stored: StoredEvent = { eventId: 'unassigned', streamId, version: afterVersion + i + 1, position: 1, type: e.type, schemaVersion: e.schemaVersion ?? 1, data: e.data, metadata };
    const envelope = map(stored);
    if (envelope) validateEvent(envelope);
  });
}

/** A scheduled process acting for an agency (recorded as actor role `system`). */
export interface SystemActor {
  sub: `system:${string}`;
  agencyId: string;
  role: 'system';
}

/** The database named in MONGO_URL's path, else `vaops_<service>`. */
export function databaseName(mongoUrl: string, serviceName: string): string {
  const path = new URL(mongoUrl).pathname.replace(/^\//, '');
  return path || `vaops_${serviceName.replace(/-/g, '_')}`;
}

/**
 * What makes a service event-sourced at run time: its event store, the outbox relay that publishes it,
 * and the projections that feed its read models from Kafka. One per service process. A consumer-only
 * service (`consumerOnly: true`) has only the projections.
 */
export class EventSourcedRuntime {
  // the runtime's own: routes reach the store through aggregate handles (COMMANDS) and the database
  // through read models and owned collections (READ_MODELS)
  private conn!: Connection;
  private db!: Db;
  private store!: MongoEventStore;
  private kafka!: Kafka;
  private aggregates!: AggregateStore;
  private relay!: OutboxRelay;
  private publisher!: KafkaEventPublisher;
  private runners: ProjectionRunner[] = [];
  private checkpoints!: CheckpointStore;
  /** Checkpoints saved by this process's projections and batches its relay marked: reads waiting for their writes check again at once. */
  private readonly progress = new ProgressSignals();
  private readonly instance = `${process.pid}-${randomId()}`;
  private consuming: Promise<void> = Promise.resolve();
  private consumerFailure: Error | undefined;

  constructor(private readonly o: RuntimeOptions) {}

  async start(): Promise<void> {
    const { config, logger, metrics } = this.o;
    const publishing = this.o.consumerOnly ? null : this.o;
    this.conn = await connectMongo(config.mongoUrl, databaseName(config.mongoUrl, config.serviceName));
    this.db = this.conn.db!;
    if (publishing) {
      this.store = new MongoEventStore(this.db);
      await this.store.init();
      this.aggregates = new AggregateStore(this.store, {
        snapshots: new MongoSnapshotStore(this.db),
        onRetry: () => metrics.commandRetries.inc({ service: config.serviceName }),
      });
    }
    this.checkpoints = new CheckpointStore(this.db);
    this.kafka = createKafka({
      brokers: [...config.kafkaBrokers],
      clientId: `vaops-${config.serviceName}`,
      logger: { warn: (m, c) => logger.warn({ msg: m, ...c }, 'kafka'), error: (m, c) => logger.error({ msg: m, ...c }, 'kafka') },
    });
    if (publishing) {
      await provisionEventTopics(this.kafka, [{ topic: publishing.topic, partitions: this.o.partitions }]);
      this.publisher = new KafkaEventPublisher(this.kafka);
      this.relay = new OutboxRelay({
        outbox: this.store,
        publisher: this.publisher,
        topic: publishing.topic,
        map: publishing.map,
        owner: this.instance,
        lease: new MongoLease(this.db, `relay:${publishing.topic}`),
        idleMs: config.relayIdleMs,
        onPublished: (n, positions) => {
          metrics.eventsPublished.inc({ topic: publishing.topic }, n);
          this.progress.published(positions);
        },
        onBacklog: (n) => metrics.outboxBacklog.set(n),
        logger: { log: (m, c) => logger.log({ msg: m, ...c }, 'relay'), error: (m, c) => logger.error({ msg: m, ...c }, 'relay') },
      });
      this.relay.start();
    }
    if (this.o.projections?.length) await this.consume(this.o.projections);
  }

  /**
   * Runs projections on their consumer groups (ProjectionTransport calls it with the ones its handlers
   * make, once the runtime has started): the topics they read are created if missing (another service
   * may not have created them yet), and each joins its group in the background.
   */
  async consume(definitions: ProjectionDefinition[]): Promise<void> {
    const { config, logger, metrics } = this.o;
    const own = this.o.consumerOnly ? [] : [this.o.topic];
    if (definitions.length === 0) return;
    const consumed = definitions.flatMap((p) => p.topics).filter((t) => !own.includes(t));
    if (consumed.length > 0) await provisionEventTopics(this.kafka, [...new Set(consumed)].map((topic) => ({ topic, partitions: this.o.partitions })));
    const runners: ProjectionRunner[] = [];
    for (const definition of definitions) {
      const groupId = EventSourcedRuntime.groupId(config.serviceName, definition.name, this.o.groupPrefix);
      const runner = new ProjectionRunner({
        kafka: this.kafka,
        db: this.db,
        definition,
        groupId,
        maxWaitTimeInMs: config.consumerMaxWaitMs,
        logger: {
          log: (m, c) => logger.log({ msg: m, ...c }, definition.name),
          warn: (m, c) => logger.warn({ msg: m, ...c }, definition.name),
          error: (m, c) => logger.error({ msg: m, ...c }, definition.name),
        },
        onPosition: (topic, partition, next) => {
          metrics.projectionPosition.set({ projection: definition.name, topic, partition: String(partition) }, Number(next) - 1);
          this.progress.applied(definition.name);
        },
        onLag: (topic, partition, lag) => metrics.consumerLag.set({ group: groupId, topic, partition: String(partition) }, lag),
        onDeadLetter: (topic) => metrics.dlqMessages.inc({ topic }),
      });
      runners.push(runner);
    }
    // Commands and reads do not wait for the consumer groups: after a crash, a group keeps the dead
    // instance's partitions until its session expires (30 s), and a restarted service serves HTTP
    // meanwhile (reads with minPosition wait for their projection as always). A runner that cannot start
    // fails the readiness check, with its reason.
    this.runners.push(...runners);
    const consuming = Promise.all(
      runners.map((r) =>
        r.start().catch((err: unknown) => {
          this.consumerFailure = err instanceof Error ? err : new Error(String(err));
          logger.error({ msg: 'a projection could not start consuming', error: String(err) }, 'runtime');
        }),
      ),
    );
    const before = this.consuming;
    this.consuming = Promise.all([before, consuming]).then(() => undefined);
  }

  /** Consumer group of a projection: shared by every instance of the service, so they split partitions. */
  static groupId(serviceName: string, projection: string, prefix = ''): string {
    return `${prefix}${serviceName}.${projection}`;
  }

  /** Resolves once every projection has joined its group (or failed to: see the readiness check). */
  consumersStarted(): Promise<void> {
    return this.consuming;
  }

  async stop(): Promise<void> {
    // all at once: each consumer may wait out its fetch in flight (up to VAOPS_CONSUMER_MAX_WAIT_MS) as it
    // leaves its group, and one after another five of them outlasted a 15 s shutdown
    await Promise.all(this.runners.map((r) => r.stop().catch(() => undefined)));
    await this.consuming;
    await this.relay?.stop();
    await this.publisher?.disconnect().catch(() => undefined);
    await this.conn?.close().catch(() => undefined);
  }

  /** The handle of one aggregate: its decider, and how an id names its stream. */
  aggregate<C, E extends DomainEvent, S, Id = string>(decider: Decider<C, E, S>, streamIdOf: (id: Id) => string): Aggregate<C, E, S, Id> {
    return new Aggregate(this, decider, streamIdOf);
  }

  /** What ReadModel classes read with (not for routes: they hold a read model). */
  get [READ_MODELS](): ReadModelPort {
    return { db: this.db, waitForProjection: (projection, minPosition) => this.waitForProjection(projection, minPosition) };
  }

  /** What the Aggregate handle executes and loads with (not for routes: they hold a handle). */
  get [COMMANDS](): CommandPort {
    return {
      execute: (decider, streamId, command, actor, options) => this.execute(decider, streamId, command, actor, options),
      load: (decider, streamId) => {
        this.publishing('load a stream');
        return this.aggregates.load(decider, streamId);
      },
      read: async <E extends DomainEvent>(streamId: string) => {
        const { store } = this.publishing('read a stream');
        return (await store.readStream<E>(streamId)).events;
      },
    };
  }

  /** Decide a command against its stream and append the result, on behalf of `actor`. */
  private async execute<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: CommandSource<C, S>,
    actor: Actor,
    options: { expectedVersion?: number; retries?: number; fresh?: boolean } = {},
  ): Promise<HandleResult<E, S>> {
    const { map } = this.publishing('execute a command');
    const correlationId = currentCorrelationId() ?? randomId();
    const metadata = {
      agencyId: actor.agencyId,
      actor: { sub: actor.sub, role: actor.role },
      correlationId,
      causationId: correlationId,
      occurredAt: this.o.clock.now().toISOString(),
    };
    const result = await this.aggregates.execute(decider, streamId, command, {
      expectedVersion: options.expectedVersion,
      retries: options.retries,
      fresh: options.fresh,
      metadata,
      beforeAppend: (events, afterVersion) => checkPublicContracts(map, streamId, events, afterVersion, metadata),
    });
    for (const e of result.events) this.o.metrics.eventsAppended.inc({ service: this.o.config.serviceName, type: e.type });
    if (result.events.length > 0) this.relay.notify();
    for (const [part, ms] of Object.entries(result.timings)) recordTiming(part, ms);
    return result;
  }

  /**
   * Where the given projections stand (their checkpoints, as one string): equal strings, nothing new
   * applied. A scheduled process that depends only on read models and the date can skip a tick then.
   */
  async projectionsDigest(projections: string[]): Promise<string> {
    const all = await Promise.all(projections.map(async (name) => [name, [...(await this.checkpoints.load(name))].sort()] as const));
    return JSON.stringify(all, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }

  /** Read-your-writes: waits (up to 5 s) until `projection` reflects the event at `minPosition`. */
  async waitForProjection(projection: string, minPosition: number | undefined): Promise<void> {
    if (minPosition === undefined) return;
    // positions are those of this service's own store: a consumer-only service has none to wait for
    const { store } = this.publishing('wait for a position');
    const started = performance.now();
    try {
      const runner = this.runners.find((r) => r.name === projection);
      await waitFor(
        () => projectionHasReached(store, this.checkpoints, projection, minPosition, runner?.knownOffsets()),
        undefined,
        // once this process published the position, only the projection's checkpoint can change the answer
        (signal) => this.progress.next(projection, signal, store.publishedHere(minPosition) ? undefined : minPosition),
      );
    } finally {
      recordTiming('read-your-writes', performance.now() - started);
    }
  }

  /** The event store and mapper of a publishing service; a consumer-only one has neither (a bug to ask). */
  private publishing(what: string): { store: MongoEventStore; map: IntegrationMapper } {
    if (this.o.consumerOnly) throw new Error(`${this.o.config.serviceName} is consumer-only: it has no event store to ${what}`);
    return { store: this.store, map: this.o.map };
  }

  healthChecks(): HealthCheck[] {
    return [
      { name: 'mongo', check: () => pingMongo(this.conn) },
      {
        name: 'projections',
        check: async () => {
          if (this.consumerFailure) throw this.consumerFailure;
        },
      },
      {
        name: 'kafka',
        check: async () => {
          const admin = this.kafka.admin();
          await admin.connect();
          try {
            await admin.describeCluster();
          } finally {
            await admin.disconnect();
          }
        },
      },
    ];
  }
}
