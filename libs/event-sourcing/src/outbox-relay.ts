import type { EventEnvelope } from '@vaops/contracts';
import type { Outbox } from './event-store';
import type { PublishedAt, StoredEvent } from './types';

export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** The broker side of the relay (libs/kafka implements it with the idempotent kafkajs producer). */
export interface EventPublisher {
  /** Publishes in the given order and returns where each message landed, in the same order. */
  publish(messages: OutgoingMessage[]): Promise<PublishedAt[]>;
  /** Offset of the last message in each partition of a topic (partitions without any are left out). */
  lastOffsets?(topic: string): Promise<Map<number, string>>;
}

/** Only one relay per service publishes at a time, or two could reorder a stream's events. */
export interface Lease {
  tryAcquire(owner: string, ttlMs: number): Promise<boolean>;
  release(owner: string): Promise<void>;
}

/** Maps a stored domain event to its public contract, or null for a private event (not published). */
export type IntegrationMapper = (event: StoredEvent) => EventEnvelope | null;

/** The public envelope of a stored event, with the contract's `data` (for IntegrationMappers). */
export function integrationEnvelope(stored: StoredEvent, data: object, schemaVersion = 1): EventEnvelope {
  return {
    eventId: stored.eventId,
    type: stored.type,
    schemaVersion,
    streamId: stored.streamId,
    version: stored.version,
    position: stored.position,
    metadata: stored.metadata,
    data,
  };
}

export interface RelayLogger {
  error(message: string, context?: Record<string, unknown>): void;
  log(message: string, context?: Record<string, unknown>): void;
}

export interface OutboxRelayOptions {
  outbox: Outbox;
  publisher: EventPublisher;
  topic: string;
  map: IntegrationMapper;
  owner: string;
  lease?: Lease;
  leaseTtlMs?: number;
  batchSize?: number;
  /**
   * How long to sleep when there is nothing to publish, unless notify() wakes it earlier (appends in this
   * process do). The look it then takes costs the same whatever the store holds; it catches appends of
   * other instances of the service, whose relays do not hold the lease.
   */
  idleMs?: number;
  /** After a batch is marked: how many events went to the topic, and the positions the batch marked (private ones too). */
  onPublished?: (count: number, positions: number[]) => void;
  onBacklog?: (backlog: number) => void;
  logger?: RelayLogger;
  /** Test hook: called after a batch is read and before it is published. */
  beforePublish?: (batch: StoredEvent[]) => Promise<void>;
}

export function toMessage(topic: string, env: EventEnvelope): OutgoingMessage {
  return {
    topic,
    key: env.streamId,
    value: JSON.stringify(env),
    headers: {
      'event-id': env.eventId,
      'event-type': env.type,
      'schema-version': String(env.schemaVersion),
      'agency-id': env.metadata.agencyId,
      'correlation-id': env.metadata.correlationId,
    },
  };
}

/**
 * Publishes every stored event, in position order, and marks it published afterwards.
 * A crash between publish and mark republishes on restart (at-least-once); consumers are idempotent.
 * It selects by "not yet published", never by "position after the last one seen", so an append whose
 * position committed late (a slow writer) is published when it shows up instead of being skipped.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private holdsLease = false;
  private watermark: Map<string, bigint> | undefined;
  private backlogReportedAt = 0;
  /** An append happened since the current batch was read: look again before sleeping. */
  private notified = false;

  constructor(private readonly o: OutboxRelayOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    if (this.holdsLease) await this.o.lease?.release(this.o.owner).catch(() => undefined);
    this.holdsLease = false;
  }

  /** Wake the relay now (called after a local append) instead of waiting for the next poll. */
  notify(): void {
    this.notified = true;
    this.wake?.();
  }

  /** Publishes one batch; returns how many events it handled. */
  async runOnce(): Promise<number> {
    if (!this.watermark) this.watermark = await this.seedWatermark();
    const batch = await this.o.outbox.fetchUnpublished(this.o.batchSize ?? 500);
    if (batch.length === 0) return 0;
    await this.o.beforePublish?.(batch);
    const publishable: { event: StoredEvent; env: EventEnvelope }[] = [];
    const marks: { eventId: string; at: PublishedAt | null }[] = [];
    for (const event of batch) {
      const env = this.o.map(event);
      if (env) publishable.push({ event, env });
      else marks.push({ eventId: event.eventId, at: null });
    }
    if (publishable.length > 0) {
      const at = await this.o.publisher.publish(publishable.map((p) => toMessage(this.o.topic, p.env)));
      publishable.forEach((p, i) => marks.push({ eventId: p.event.eventId, at: at[i] }));
      for (const a of at) {
        const key = `${a.topic}:${a.partition}`;
        const offset = BigInt(a.offset);
        if ((this.watermark.get(key) ?? -1n) < offset) this.watermark.set(key, offset);
      }
    }
    const watermark = Object.fromEntries([...this.watermark].map(([k, v]) => [k, v.toString()]));
    await this.o.outbox.markPublished(marks, watermark);
    this.o.onPublished?.(publishable.length, batch.map((e) => e.position));
    return batch.length;
  }

  /** What the topic already holds (earlier runs of the relay), so read-your-writes waits for it too. */
  private async seedWatermark(): Promise<Map<string, bigint>> {
    const seeded = new Map<string, bigint>();
    const last = (await this.o.publisher.lastOffsets?.(this.o.topic)) ?? new Map<number, string>();
    for (const [partition, offset] of last) seeded.set(`${this.o.topic}:${partition}`, BigInt(offset));
    return seeded;
  }

  private async run(): Promise<void> {
    const idleMs = this.o.idleMs ?? 1_000;
    const ttl = this.o.leaseTtlMs ?? 10_000;
    let failures = 0;
    let leaseCheckedAt = 0;
    while (this.running) {
      let handled = 0;
      this.notified = false;
      try {
        // the lease is renewed (a write) a few times per TTL, not on every batch or wake-up
        if (!this.o.lease) this.holdsLease = true;
        else if (!this.holdsLease || Date.now() - leaseCheckedAt >= ttl / 3) {
          this.holdsLease = await this.o.lease.tryAcquire(this.o.owner, ttl);
          leaseCheckedAt = Date.now();
        }
        if (this.holdsLease) {
          handled = await this.runOnce();
          if (handled === 0) this.reportBacklog(0);
          // at most once a second while busy: counting costs a query
          else if (this.o.onBacklog && Date.now() - this.backlogReportedAt >= 1_000) this.reportBacklog(await this.o.outbox.backlog());
        }
        failures = 0;
      } catch (err) {
        failures++;
        this.holdsLease = false;
        this.o.logger?.error('outbox relay batch failed; will retry', { error: String(err), failures });
      }
      if (!this.running) break;
      if ((handled === 0 && !this.notified) || failures > 0) {
        const backoff = failures > 0 ? Math.min(5_000, 100 * 2 ** failures) : this.holdsLease ? idleMs : ttl / 3;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, backoff);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  private reportBacklog(backlog: number): void {
    this.backlogReportedAt = Date.now();
    this.o.onBacklog?.(backlog);
  }
}
