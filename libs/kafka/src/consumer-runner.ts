import { Partitioners, type Consumer, type EachBatchPayload, type IHeaders, type Kafka, type KafkaMessage } from 'kafkajs';
import { RenewingProducer } from './renewing-producer';
import { deadLetterTopic, decodeEvent, type EventEnvelope } from '@vaops/contracts';

export interface ConsumedEvent {
  topic: string;
  partition: number;
  offset: string;
  envelope: EventEnvelope;
}

export interface ConsumerRunnerLogger {
  log(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** Where a group with no committed offset starts. Read models start at the beginning of the log. */
  fromBeginning?: boolean;
  /** Must be idempotent: after a crash or a rebalance the same event can arrive again. */
  handle?: (event: ConsumedEvent) => Promise<void>;
  /**
   * Handles the events of a batch together (a projection writes each document once per batch). Tried
   * with retries; a batch that keeps failing is handled one event at a time, so only the event that
   * fails goes to the DLQ. Must be idempotent, like `handle`.
   */
  handleBatch?: (events: ConsumedEvent[]) => Promise<void>;
  /** Events per `handleBatch` call at most (a Kafka batch is split); default 1,000. */
  maxBatchEvents?: number;
  /** Runs after the handled messages of a batch and before their offsets are committed (checkpoints). */
  afterBatch?: (topic: string, partition: number, lastHandledOffset: string) => Promise<void>;
  /** Attempts after the first failure, each after a doubling backoff; then the message goes to the DLQ. */
  maxRetries?: number;
  retryBackoffMs?: number;
  /**
   * How long the broker holds a fetch that finds nothing new (it answers as soon as a message arrives,
   * so this is no latency): 1 s keeps an idle consumer at one request a second. kafkajs #242 (stalls with
   * the 5 s default) is about waits for data on other brokers' partitions.
   */
  maxWaitTimeInMs?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  onLag?: (topic: string, partition: number, lag: number) => void;
  onDeadLetter?: (topic: string, error: string) => void;
  logger?: ConsumerRunnerLogger;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Thrown by a handler (or the runner) for an event that can never succeed: no retries, straight to the DLQ. */
export class PoisonEventError extends Error {}

/**
 * eachBatch consumer: handles messages in order, resolves and heartbeats after each one (long batches
 * must not trigger rebalance loops, kafkajs #375/#1527), commits only what was handled. A message that
 * fails every retry, or is not a valid event at all, goes to `<topic>.dlq` with the error in its headers
 * and the partition moves on (no poison message blocks it, kafkajs #315).
 */
export class ConsumerRunner {
  private readonly consumer: Consumer;
  /**
   * Connected on the first dead letter (an idle connection per consumer costs the broker and this process),
   * and replaced after a failed send, so no later dead letter is taken for a duplicate (RenewingProducer).
   */
  private readonly dlqProducer: RenewingProducer;
  private started = false;

  constructor(private readonly o: ConsumerRunnerOptions) {
    if (!o.handle === !o.handleBatch) throw new Error('a ConsumerRunner takes either handle or handleBatch');
    this.consumer = o.kafka.consumer({
      groupId: o.groupId,
      maxWaitTimeInMs: o.maxWaitTimeInMs ?? 1_000,
      sessionTimeout: o.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: o.heartbeatIntervalMs ?? 3_000,
      retry: { retries: 10 },
    });
    this.dlqProducer = new RenewingProducer(o.kafka, { maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.consumer.connect();
    for (const topic of this.o.topics) {
      // a topic another service created a moment ago may not serve metadata yet: retry a few times
      for (let attempt = 1; ; attempt++) {
        try {
          await this.consumer.subscribe({ topic, fromBeginning: this.o.fromBeginning ?? true });
          break;
        } catch (err) {
          if (attempt >= 10) throw err;
          this.o.logger?.warn('subscribe failed; retrying', { topic, attempt, error: String(err) });
          await sleep(200 * attempt);
        }
      }
    }
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** Finishes the message in hand, commits, leaves the group. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.consumer.disconnect();
    await this.dlqProducer.disconnect();
  }

  /** The underlying consumer's instrumentation events (GROUP_JOIN, CRASH, ...). */
  get events(): Consumer['events'] {
    return this.consumer.events;
  }

  private async eachBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    let last: string | undefined;
    try {
      if (this.o.handleBatch) {
        const size = this.o.maxBatchEvents ?? 1_000;
        for (let i = 0; i < batch.messages.length; i += size) {
          if (!isRunning() || isStale()) break;
          const chunk = batch.messages.slice(i, i + size);
          await this.handleMany(batch.topic, batch.partition, chunk, heartbeat);
          last = chunk[chunk.length - 1].offset;
          resolveOffset(last);
          await heartbeat();
        }
      } else {
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) break;
          await this.handleOne(batch.topic, batch.partition, message, heartbeat);
          resolveOffset(message.offset);
          last = message.offset;
          await heartbeat();
        }
      }
    } catch (err) {
      // A rebalance cuts the batch short: kafkajs' heartbeat commits the offsets resolved so far and
      // throws. Those events were applied, so their afterBatch (a projection's checkpoint) runs anyway;
      // otherwise a partition with no later event would keep its checkpoint behind the log for good.
      if (last !== undefined) await this.o.afterBatch?.(batch.topic, batch.partition, last);
      throw err;
    }
    if (last === undefined) return;
    await this.o.afterBatch?.(batch.topic, batch.partition, last);
    await commitOffsetsIfNecessary();
    this.o.onLag?.(batch.topic, batch.partition, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n)));
  }

  /**
   * A chunk of a batch through handleBatch: undecodable messages go to the DLQ at once, the rest are
   * handled together with retries; if that keeps failing, one event at a time, so only the events that
   * fail alone are dead-lettered.
   */
  private async handleMany(topic: string, partition: number, messages: KafkaMessage[], heartbeat: () => Promise<void>): Promise<void> {
    const events: { event: ConsumedEvent; message: KafkaMessage }[] = [];
    for (const message of messages) {
      const decoded = await this.decodeOrDeadLetter(topic, partition, message);
      if (decoded) events.push({ event: { topic, partition, offset: message.offset, envelope: decoded }, message });
    }
    if (events.length === 0) return;
    const together = await this.withRetries(topic, partition, messages[0].offset, heartbeat, () => this.o.handleBatch!(events.map((e) => e.event)));
    if (together.ok) return;
    this.o.logger?.warn('batch failed every retry; handling its events one at a time', { topic, partition, events: events.length, error: String(together.error) });
    for (const { event, message } of events) {
      const alone = await this.withRetries(topic, partition, message.offset, heartbeat, () => this.o.handleBatch!([event]));
      if (!alone.ok) await this.deadLetter(topic, partition, message, alone.error, alone.attempts);
      await heartbeat();
    }
  }

  private async handleOne(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<void> {
    const envelope = await this.decodeOrDeadLetter(topic, partition, message);
    if (!envelope) return;
    const r = await this.withRetries(topic, partition, message.offset, heartbeat, () => this.o.handle!({ topic, partition, offset: message.offset, envelope }));
    if (!r.ok) await this.deadLetter(topic, partition, message, r.error, r.attempts);
  }

  /** Untrusted input that can never succeed goes to the DLQ without retries. */
  private async decodeOrDeadLetter(topic: string, partition: number, message: KafkaMessage): Promise<EventEnvelope | undefined> {
    try {
      if (!message.value) throw new PoisonEventError('message has no value');
      let raw: unknown;
      try {
        raw = JSON.parse(message.value.toString('utf8'));
      } catch {
        throw new PoisonEventError('message value is not JSON');
      }
      return decodeEvent(raw);
    } catch (err) {
      await this.deadLetter(topic, partition, message, err, 1);
      return undefined;
    }
  }

  private async withRetries(topic: string, partition: number, offset: string, heartbeat: () => Promise<void>, job: () => Promise<void>): Promise<{ ok: true } | { ok: false; error: unknown; attempts: number }> {
    const maxRetries = this.o.maxRetries ?? 3;
    const baseBackoff = this.o.retryBackoffMs ?? 100;
    let attempts = 0;
    let lastError: unknown;
    while (attempts <= maxRetries) {
      attempts++;
      try {
        await job();
        return { ok: true };
      } catch (err) {
        lastError = err;
        if (err instanceof PoisonEventError) break;
        if (attempts > maxRetries) break;
        this.o.logger?.warn('event handler failed; retrying', { topic, partition, offset, attempts, error: String(err) });
        await sleep(Math.min(10_000, baseBackoff * 2 ** (attempts - 1)));
        await heartbeat();
      }
    }
    return { ok: false, error: lastError, attempts };
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, err: unknown, attempts: number): Promise<void> {
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    this.o.logger?.error('event sent to the dead-letter topic', { topic, partition, offset: message.offset, attempts, error });
    const headers: IHeaders = {
      ...message.headers,
      'dlq-error': error.slice(0, 2000),
      'dlq-original-topic': topic,
      'dlq-original-partition': String(partition),
      'dlq-original-offset': message.offset,
      'dlq-attempts': String(attempts),
      'dlq-consumer-group': this.o.groupId,
      'dlq-failed-at': new Date().toISOString(),
    };
    await this.dlqProducer.send({
      topic: deadLetterTopic(topic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    this.o.onDeadLetter?.(topic, error);
  }
}

/** Calls `stop` once on SIGTERM or SIGINT (graceful shutdown of scripts outside Nest). */
export function onShutdownSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (err) => {
        console.error(`shutdown after ${signal} failed`, err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}
