import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { decodeEvent, Topics, type ContractService, type EventEnvelope } from '@vaops/contracts';
import { createKafka } from '@vaops/kafka';
import type { Consumer, Kafka } from 'kafkajs';
import type { ConsoleConfig } from '../config';
import { CONSOLE_CONFIG } from '../tokens';

export type FeedState = 'up' | 'down';

export interface FeedCounts {
  /** Messages read from the stream. */
  received: number;
  /** Of those, the ones that were no valid event (not JSON, a broken envelope, a broken contract): dropped. */
  dropped: number;
}

/**
 * How long the broker holds a fetch that finds nothing new. It answers as soon as a message arrives,
 * so this is no latency; an idle console sends one fetch per broker this often.
 */
const MAX_WAIT_MS = 5_000;
/** After a failure (no broker, a topic that does not exist yet), tried again after 2 s, doubling to a minute. */
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 60_000;
/** While a service's topic does not exist yet (it was never started), checked again this often. */
const MISSING_TOPICS_CHECK_MS = 60_000;
/** At most one log line about dropped messages this often (each with the count so far). */
const DROP_LOG_EVERY_MS = 60_000;

const log = (level: 'warn' | 'error' | 'log', msg: string, extra: Record<string, unknown> = {}) =>
  (level === 'log' ? process.stdout : process.stderr).write(`${JSON.stringify({ level, service: 'console', component: 'live-feed', msg, ...extra })}\n`);

/**
 * The services' event stream as the console hears it, to tell open pages that something changed. One
 * consumer group per console process (a unique group id), starting at the end of each topic: no history
 * is replayed, no offset is committed, nothing is kept but the newest position seen per service (so a
 * page region refreshed after a notice reads at least that far: see `minPosition`). Every message is
 * untrusted: it is decoded with the contracts' decoder and dropped (and counted) when it is not a valid
 * event. Kafka being away never stops the console: the feed says it is down and tries again.
 */
@Injectable()
export class LiveFeed implements OnApplicationBootstrap, OnModuleDestroy {
  readonly counts: FeedCounts = { received: 0, dropped: 0 };
  readonly groupId: string;
  private readonly kafka: Kafka;
  private readonly topics: ReadonlyMap<string, ContractService>;
  private readonly listeners = new Set<(envelope: EventEnvelope) => void>();
  private readonly stateListeners = new Set<(state: FeedState) => void>();
  private readonly positions = new Map<ContractService, number>();
  private consumer: Consumer | undefined;
  private state: FeedState = 'down';
  private timer: NodeJS.Timeout | undefined;
  private retryMs = RETRY_FIRST_MS;
  private stopped = false;
  private lastDropLog = 0;

  constructor(@Inject(CONSOLE_CONFIG) config: ConsoleConfig) {
    const prefix = config.stream.topicPrefix;
    this.topics = new Map(Object.entries(Topics).map(([service, topic]) => [`${prefix}${topic}`, service as ContractService]));
    this.groupId = `${prefix}console.live.${hostname()}.${process.pid}.${randomUUID().slice(0, 8)}`;
    this.kafka = createKafka({
      brokers: config.stream.brokers,
      clientId: 'console-live',
      logger: { warn: () => undefined, error: (message, ctx) => log('warn', `kafka: ${message}`, { kafka: ctx }) },
    });
  }

  /** Started in the background: the console serves pages whether the stream is there or not. */
  onApplicationBootstrap(): void {
    void this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.dropConsumer();
  }

  /** Called with every valid event; returns the unsubscribe. */
  onEvent(listener: (envelope: EventEnvelope) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called when the feed goes up (consuming) or down; returns the unsubscribe. */
  onState(listener: (state: FeedState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  get current(): FeedState {
    return this.state;
  }

  /**
   * The newest position of a service's events the feed has seen, or undefined: a read of that service
   * with `?minPosition=` waits until its read model holds everything a notification was about.
   */
  minPosition(service: ContractService): number | undefined {
    return this.positions.get(service);
  }

  /** One message value off a topic: decoded, or dropped and counted. Never throws. */
  receive(topic: string, value: Buffer | null): void {
    this.counts.received += 1;
    let envelope: EventEnvelope;
    try {
      if (!value) throw new Error('message has no value');
      envelope = decodeEvent(JSON.parse(value.toString('utf8')));
    } catch (err) {
      this.counts.dropped += 1;
      const now = Date.now();
      if (now - this.lastDropLog >= DROP_LOG_EVERY_MS) {
        this.lastDropLog = now;
        log('warn', 'dropped a message that is not a valid event', { topic, dropped: this.counts.dropped, received: this.counts.received, error: err instanceof Error ? err.message : String(err) });
      }
      return;
    }
    const service = this.topics.get(topic);
    if (service && envelope.position > (this.positions.get(service) ?? 0)) this.positions.set(service, envelope.position);
    for (const listener of this.listeners) {
      try {
        listener(envelope);
      } catch (err) {
        log('error', 'a live listener failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  private setState(state: FeedState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private later(fn: () => Promise<void>, ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void fn(), ms);
    this.timer.unref();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    await this.dropConsumer();
    let topics: string[];
    try {
      topics = await this.existingTopics();
      if (topics.length === 0) throw new Error(`none of the topics exists yet: ${[...this.topics.keys()].join(', ')}`);
    } catch (err) {
      return this.failed(err);
    }
    const consumer = this.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: MAX_WAIT_MS, sessionTimeout: 30_000, heartbeatInterval: 10_000, retry: { retries: 5 } });
    this.consumer = consumer;
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    // consuming once the first fetch after joining came back: its offsets (the topics' ends) are resolved
    consumer.on(consumer.events.FETCH, () => {
      if (joined && this.consumer === consumer) {
        this.retryMs = RETRY_FIRST_MS;
        this.setState('up');
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.consumer !== consumer) return;
      this.setState('down');
      joined = false;
      // kafkajs restarts by itself after an error it can retry; otherwise the feed starts over
      if (!payload.restart) this.failed(payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: false });
      await consumer.run({ autoCommit: false, eachMessage: async ({ topic, message }) => this.receive(topic, message.value) });
    } catch (err) {
      return this.failed(err);
    }
    if (topics.length < this.topics.size) this.later(() => this.checkMissingTopics(topics.length), MISSING_TOPICS_CHECK_MS);
  }

  /** A service started since: start over with its topic too. */
  private async checkMissingTopics(had: number): Promise<void> {
    const now = await this.existingTopics().catch(() => undefined);
    if (now && now.length > had) return this.connect();
    this.later(() => this.checkMissingTopics(had), MISSING_TOPICS_CHECK_MS);
  }

  private async existingTopics(): Promise<string[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const listed = new Set(await admin.listTopics());
      return [...this.topics.keys()].filter((t) => listed.has(t));
    } finally {
      await admin.disconnect();
    }
  }

  private failed(err: unknown): void {
    this.setState('down');
    if (this.stopped) return;
    log('warn', `live updates are off for now; trying again in ${this.retryMs / 1000} s`, { error: err instanceof Error ? err.message : String(err) });
    this.later(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private async dropConsumer(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    this.setState('down');
    await consumer?.disconnect().catch(() => undefined);
  }
}
