import { ConcurrencyConflictError } from './errors';
import type { AppendResult, EventStore, Outbox, Publication, ReadStreamOptions, ReadStreamResult, Watermark } from './event-store';
import { randomId } from './ids';
import type { DomainEvent, EventMetadata, PublishedAt, StoredEvent } from './types';

/** The same port in memory: for unit tests and as the reference the Mongo store is compared with. */
export class InMemoryEventStore implements EventStore, Outbox {
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly all: StoredEvent[] = [];
  private readonly published = new Map<string, { at: PublishedAt | null; watermark: Watermark }>();
  private position = 0;

  async readStream<E extends DomainEvent = DomainEvent>(streamId: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult<E>> {
    const after = options.after ?? 0;
    const events = (this.streams.get(streamId) ?? []) as StoredEvent<E>[];
    return { version: Math.max(events.length, after), events: events.filter((e) => e.version > after).map(clone) };
  }

  async appendToStream(
    streamId: string,
    expectedVersion: number,
    events: DomainEvent[],
    metadata: EventMetadata,
  ): Promise<AppendResult> {
    // Yield first, as a real store would: concurrent callers interleave here, then exactly one wins.
    await Promise.resolve();
    const stream = this.streams.get(streamId) ?? [];
    if (stream.length !== expectedVersion) {
      throw new ConcurrencyConflictError(streamId, expectedVersion);
    }
    const stored = events.map((e, i): StoredEvent => ({
      eventId: randomId(),
      streamId,
      version: expectedVersion + i + 1,
      position: ++this.position,
      type: e.type,
      schemaVersion: e.schemaVersion ?? 1,
      data: structuredClone(e.data),
      metadata: structuredClone(metadata),
    }));
    this.streams.set(streamId, [...stream, ...stored]);
    this.all.push(...stored);
    return {
      nextVersion: expectedVersion + events.length,
      positions: stored.map((e) => e.position),
      lastPosition: stored[stored.length - 1]?.position ?? 0,
    };
  }

  async readAll(after: number, limit: number): Promise<StoredEvent[]> {
    return this.all.filter((e) => e.position > after).slice(0, limit).map(clone);
  }

  async fetchUnpublished(limit: number): Promise<StoredEvent[]> {
    return this.all.filter((e) => !this.published.has(e.eventId)).slice(0, limit).map(clone);
  }

  async markPublished(marks: { eventId: string; at: PublishedAt | null }[], watermark: Watermark): Promise<void> {
    for (const m of marks) this.published.set(m.eventId, { at: m.at, watermark: { ...watermark } });
  }

  async backlog(): Promise<number> {
    return this.all.length - this.published.size;
  }

  async highestPosition(): Promise<number> {
    return this.position;
  }

  async publication(position: number): Promise<Publication | undefined> {
    const e = this.all.find((x) => x.position === position);
    if (!e) return undefined;
    if (!this.published.has(e.eventId)) return { status: 'pending' };
    const { at, watermark } = this.published.get(e.eventId)!;
    return at ? { status: 'published', at, watermark } : { status: 'private', watermark };
  }
}

const clone = <T>(v: T): T => structuredClone(v);
