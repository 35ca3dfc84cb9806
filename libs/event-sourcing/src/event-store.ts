import type { DomainEvent, EventMetadata, PublishedAt, StoredEvent } from './types';

/**
 * Highest offset published per `topic:partition` when a batch was marked published. A reader that
 * waits until a projection has passed every entry has seen every event published up to that batch.
 */
export type Watermark = Record<string, string>;

export type Publication =
  | { status: 'pending' }
  | { status: 'published'; at: PublishedAt; watermark: Watermark }
  | { status: 'private'; watermark: Watermark };

export interface ReadStreamResult<E extends DomainEvent = DomainEvent> {
  /** 0 when the stream does not exist (or `after` when nothing follows it). */
  version: number;
  events: StoredEvent<E>[];
}

export interface ReadStreamOptions {
  /** Only the events after this version (a snapshot's or a cached state's): the read costs what follows it. */
  after?: number;
}

export interface AppendResult {
  nextVersion: number;
  /** Positions of the appended events, in order. */
  positions: number[];
  lastPosition: number;
}

/**
 * The event store port. `appendToStream` is all-or-nothing: when two writers append at the same
 * expected version exactly one wins and the other gets a ConcurrencyConflictError, with nothing written.
 */
export interface EventStore {
  readStream<E extends DomainEvent = DomainEvent>(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult<E>>;
  appendToStream(
    streamId: string,
    expectedVersion: number,
    events: DomainEvent[],
    metadata: EventMetadata,
  ): Promise<AppendResult>;
  /** Events with position greater than `after`, in position order, at most `limit` (for replays and tools). */
  readAll(after: number, limit: number): Promise<StoredEvent[]>;
}

/**
 * The outbox side of a store. An event is unpublished from the moment it is stored, in the same
 * single-document write, so no stored event can be missed by the relay; no transaction is needed.
 */
export interface Outbox {
  /** Unpublished events in position order; includes events whose commit became visible late. */
  fetchUnpublished(limit: number): Promise<StoredEvent[]>;
  /** `at: null` marks a private event that the service's mapping does not publish. */
  markPublished(marks: { eventId: string; at: PublishedAt | null }[], watermark: Watermark): Promise<void>;
  /** How many stored events are not yet published. */
  backlog(): Promise<number>;
  /** The highest position handed out so far (0 for an empty store). */
  highestPosition(): Promise<number>;
  /** Where the event at `position` stands in the outbox; undefined when no event has that position. */
  publication(position: number): Promise<Publication | undefined>;
}
