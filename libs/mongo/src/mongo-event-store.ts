import type { Collection, Db } from 'mongodb';
import {
  ConcurrencyConflictError,
  newId,
  type AppendResult,
  type DomainEvent,
  type EventMetadata,
  type EventStore,
  type Outbox,
  type Publication,
  type ReadStreamOptions,
  type ReadStreamResult,
  type StoredEvent,
  type Watermark,
  type PublishedAt,
} from '@vaops/event-sourcing';
import { isDuplicateKey } from './connection';

/**
 * One document per commit (the events of one append), so an append is a single-document write:
 * atomic without multi-document transactions, which FerretDB lacks. A commit of one event (the usual
 * case) is one event per document. `version` is the commit's first stream version and the unique index
 * (streamId, version) is the optimistic-concurrency check: two appends at one expected version write
 * the same key and exactly one wins. `published: false` is the outbox entry, written in the same insert.
 */
interface CommitDoc {
  _id: string;
  streamId: string;
  version: number;
  lastVersion: number;
  position: number;
  lastPosition: number;
  events: StoredEvent[];
  eventCount: number;
  published: boolean;
  publishedAt?: (PublishedAt | null)[];
  /** As a list: topic names contain dots, which FerretDB does not allow in field names. */
  watermark?: { key: string; offset: string }[];
  committedAt: Date;
}

interface CounterDoc {
  _id: string;
  seq: number;
}

/**
 * At most this many events in one append. It bounds the one range query that finds the commit of a
 * position inside a commit (`publication`), and every command appends far fewer (a recurring series:
 * 52; a bulk approval: one event per timesheet of ten assistants).
 */
export const MAX_EVENTS_PER_COMMIT = 500;

/** Positions per query when reading the whole log in position order (readAll). */
const READ_ALL_WINDOW = 2_000;

/** Streams whose last known version this process keeps (to skip the boundary check of an append). */
const KNOWN_HEADS = 20_000;

/**
 * After a look that found nothing, the relay's next looks read only the position counter while it has
 * not moved (one point read), for this long; then a full look again, for a commit of another process
 * whose position was drawn before that look and that became visible after it (a writer stalled between
 * the two). Appends of this process end the shortcut at once.
 */
const QUIET_LOOK_MS = 30_000;

/** Statements per bulk update. */
const MAX_UPDATE_STATEMENTS = 500;

export interface MongoEventStoreOptions {
  collection?: string;
  /** Test hook: runs after positions are reserved and before the commit is written (a slow writer). */
  afterPositionsReserved?: (streamId: string, positions: number[]) => Promise<void>;
}

interface PositionRequest {
  count: number;
  resolve: (first: number) => void;
  reject: (err: unknown) => void;
}

/**
 * The event store and its outbox on MongoDB, every hot-path access a point read, an index prefix, an
 * insert or a bulk write by `_id`, so its cost does not grow with the number of events stored:
 *
 * | operation | access |
 * |---|---|
 * | append | one insert (its unique (streamId, version) key is the concurrency check), after one counter `$inc` shared by the appends in flight; plus one indexed point query when the expected version was never seen as the stream's head here |
 * | read a stream after version v | index prefix (streamId, lastVersion > v) |
 * | relay: next batch | index prefix (published, position in a window), plus (published, position below it) for late commits |
 * | relay: mark published | one bulk update by `_id` |
 * | read-your-writes: where is position p | index point (position = p), else a range of at most MAX_EVENTS_PER_COMMIT positions |
 * | highest position | the counter (a point read) |
 */
export class MongoEventStore implements EventStore, Outbox {
  private readonly commits: Collection<CommitDoc>;
  private readonly counters: Collection<CounterDoc>;
  private readonly counterId: string;
  private readonly relayLowId: string;
  /** Event → its commit, its index there and the commit's event count, for the batch the relay fetched. */
  private readonly commitOf = new Map<string, { commitId: string; index: number; count: number }>();
  /** Stream → a version that was its head (every head is a commit boundary forever). */
  private readonly heads = new Map<string, number>();
  private positionQueue: PositionRequest[] = [];
  private allocating = false;
  /** The relay's lowest position not yet seen published (undefined until first asked). */
  private relayLow: number | undefined;
  private relayLowSaved = 0;
  private lastEmptyLook: { highest: number; at: number } | undefined;

  constructor(db: Db, private readonly options: MongoEventStoreOptions = {}) {
    const name = options.collection ?? 'events';
    this.commits = db.collection<CommitDoc>(name);
    this.counters = db.collection<CounterDoc>('counters');
    this.counterId = `${name}.position`;
    this.relayLowId = `${name}.relay-low`;
  }

  async init(): Promise<void> {
    await this.commits.createIndex({ streamId: 1, version: 1 }, { unique: true, name: 'stream_version' });
    await this.commits.createIndex({ streamId: 1, lastVersion: 1 }, { unique: true, name: 'stream_last_version' });
    await this.commits.createIndex({ position: 1 }, { unique: true, name: 'position' });
    await this.commits.createIndex({ published: 1, position: 1 }, { name: 'outbox' });
    for (const _id of [this.counterId, this.relayLowId]) {
      try {
        await this.counters.insertOne({ _id, seq: 0 });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
  }

  async readStream<E extends DomainEvent = DomainEvent>(streamId: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult<E>> {
    const after = options.after ?? 0;
    const docs = await this.commits.find(after > 0 ? { streamId, lastVersion: { $gt: after } } : { streamId }).toArray();
    docs.sort((a, b) => a.version - b.version);
    const events = docs.flatMap((d) => d.events).filter((e) => e.version > after) as StoredEvent<E>[];
    const version = docs.length ? docs[docs.length - 1].lastVersion : after;
    if (docs.length || after === 0) this.noteHead(streamId, version);
    return { version, events };
  }

  async appendToStream(
    streamId: string,
    expectedVersion: number,
    events: DomainEvent[],
    metadata: EventMetadata,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    if (events.length > MAX_EVENTS_PER_COMMIT) throw new Error(`appendToStream takes at most ${MAX_EVENTS_PER_COMMIT} events, got ${events.length}`);
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
      throw new Error(`invalid expected version ${expectedVersion}`);
    }
    await this.checkBoundary(streamId, expectedVersion);
    for (let attempt = 0; ; attempt++) {
      const first = await this.reservePositions(events.length);
      const positions = events.map((_, i) => first + i);
      await this.options.afterPositionsReserved?.(streamId, positions);
      const stored = events.map((e, i): StoredEvent => ({
        eventId: newId(),
        streamId,
        version: expectedVersion + i + 1,
        position: positions[i],
        type: e.type,
        schemaVersion: e.schemaVersion ?? 1,
        data: e.data,
        metadata,
      }));
      const lastVersion = expectedVersion + events.length;
      try {
        await this.commits.insertOne({
          _id: stored[0].eventId,
          streamId,
          version: expectedVersion + 1,
          lastVersion,
          position: positions[0],
          lastPosition: positions[positions.length - 1],
          events: stored,
          eventCount: stored.length,
          published: false,
          committedAt: new Date(),
        });
        this.noteHead(streamId, lastVersion);
        // a look between the draw and this insert may have found nothing: the relay must look again
        this.lastEmptyLook = undefined;
        return { nextVersion: lastVersion, positions, lastPosition: positions[positions.length - 1] };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Which unique index refused it? The stream's version: another writer won (the conflict).
        // A position clash cannot happen with an atomic counter; if the counter was ever reset, draw again.
        const won = await this.commits.findOne({ streamId, version: expectedVersion + 1 }, { projection: { _id: 1 } });
        if (won || attempt >= 3) throw new ConcurrencyConflictError(streamId, expectedVersion);
        await this.raiseCounterAbove(positions[positions.length - 1]);
      }
    }
  }

  async readAll(after: number, limit: number): Promise<StoredEvent[]> {
    const highest = await this.highestPosition();
    const out: StoredEvent[] = [];
    // windows of positions, each an index range (a commit that starts before `after` may still reach past it)
    for (let from = Math.max(0, after - MAX_EVENTS_PER_COMMIT); from < highest && out.length < limit; from += READ_ALL_WINDOW) {
      const docs = await this.commits.find({ position: { $gt: from, $lte: from + READ_ALL_WINDOW } }).toArray();
      docs.sort((a, b) => a.position - b.position);
      for (const d of docs) for (const e of d.events) if (e.position > after && out.length < limit) out.push(e);
    }
    return out;
  }

  async fetchUnpublished(limit: number): Promise<StoredEvent[]> {
    const highest = await this.highestPosition();
    const quiet = this.lastEmptyLook;
    if (quiet && quiet.highest === highest && Date.now() - quiet.at < QUIET_LOOK_MS) return [];
    this.lastEmptyLook = undefined;
    let low = this.relayLow ?? (await this.loadRelayLow());
    // A commit whose position was drawn before the window moved past it and that became visible later
    // (a slow writer): an index range that is empty unless that happened.
    const late = await this.commits.find({ published: false, position: { $lt: low } }).toArray();
    let docs = late;
    // a window of as many positions as the batch takes events: it holds at most that many
    const window = Math.max(100, limit);
    while (docs.length === 0 && low <= highest) {
      docs = await this.commits.find({ published: false, position: { $gte: low, $lt: low + window } }).toArray();
      if (docs.length === 0) low = Math.min(low + window, highest + 1);
    }
    docs.sort((a, b) => a.position - b.position);
    if (docs.length === 0) this.relayLow = low;
    else if (late.length === 0) this.relayLow = docs[0].position;
    const batch: StoredEvent[] = [];
    for (const d of docs) {
      if (batch.length > 0 && batch.length + d.events.length > limit) break;
      d.events.forEach((e, index) => this.commitOf.set(e.eventId, { commitId: d._id, index, count: d.events.length }));
      batch.push(...d.events);
    }
    await this.saveRelayLow();
    if (batch.length === 0) this.lastEmptyLook = { highest, at: Date.now() };
    return batch;
  }

  async markPublished(marks: { eventId: string; at: PublishedAt | null }[], watermark: Watermark): Promise<void> {
    const byCommit = new Map<string, (PublishedAt | null)[]>();
    for (const m of marks) {
      const where = this.commitOf.get(m.eventId) ?? (await this.findCommit(m.eventId));
      const at = byCommit.get(where.commitId) ?? byCommit.set(where.commitId, Array.from({ length: where.count }, () => null)).get(where.commitId)!;
      at[where.index] = m.at;
    }
    if (byCommit.size === 0) return;
    const marksList = Object.entries(watermark).map(([key, offset]) => ({ key, offset }));
    const ops = [...byCommit].map(([commitId, publishedAt]) => ({
      updateOne: { filter: { _id: commitId }, update: { $set: { published: true, publishedAt, watermark: marksList } } },
    }));
    for (let i = 0; i < ops.length; i += MAX_UPDATE_STATEMENTS) {
      await this.commits.bulkWrite(ops.slice(i, i + MAX_UPDATE_STATEMENTS), { ordered: false });
    }
    for (const m of marks) this.commitOf.delete(m.eventId);
  }

  async backlog(): Promise<number> {
    const docs = await this.commits.find({ published: false }, { projection: { eventCount: 1 } }).toArray();
    return docs.reduce((n, d) => n + d.eventCount, 0);
  }

  async highestPosition(): Promise<number> {
    return (await this.counters.findOne({ _id: this.counterId }))?.seq ?? 0;
  }

  async publication(position: number): Promise<Publication | undefined> {
    const doc =
      (await this.commits.findOne({ position })) ??
      (await this.commits.findOne({ position: { $gt: position - MAX_EVENTS_PER_COMMIT, $lt: position }, lastPosition: { $gte: position } }));
    if (!doc) return undefined;
    const index = doc.events.findIndex((e) => e.position === position);
    if (index < 0) return undefined;
    if (!doc.published) return { status: 'pending' };
    const at = doc.publishedAt?.[index] ?? null;
    const watermark: Watermark = Object.fromEntries((doc.watermark ?? []).map((w) => [w.key, w.offset]));
    return at ? { status: 'published', at, watermark } : { status: 'private', watermark };
  }

  /**
   * Appends at a version inside a commit of several events would not meet its unique key; refuse them.
   * A version this process saw as the head is a boundary forever, so the check is skipped for it; a
   * version below a head seen here is stale at once.
   */
  private async checkBoundary(streamId: string, expectedVersion: number): Promise<void> {
    if (expectedVersion === 0) return;
    const head = this.heads.get(streamId);
    if (head === expectedVersion) return;
    if (head !== undefined && head > expectedVersion) throw new ConcurrencyConflictError(streamId, expectedVersion);
    const boundary = await this.commits.findOne({ streamId, lastVersion: expectedVersion }, { projection: { _id: 1 } });
    if (!boundary) throw new ConcurrencyConflictError(streamId, expectedVersion);
  }

  private noteHead(streamId: string, version: number): void {
    if ((this.heads.get(streamId) ?? -1) >= version) return;
    this.heads.delete(streamId);
    this.heads.set(streamId, version);
    if (this.heads.size > KNOWN_HEADS) this.heads.delete(this.heads.keys().next().value!);
  }

  /**
   * Positions from one atomic counter, so they follow the order in which appends happened: a stream's
   * next commit draws after its previous one was written, so a stream's positions increase. The
   * appends in flight in this process share one `$inc` (a group), which keeps that order: each group
   * is drawn after every append in it was requested.
   */
  private reservePositions(count: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.positionQueue.push({ count, resolve, reject });
      void this.drawPositions();
    });
  }

  private async drawPositions(): Promise<void> {
    if (this.allocating) return;
    this.allocating = true;
    try {
      while (this.positionQueue.length > 0) {
        const group = this.positionQueue;
        this.positionQueue = [];
        const total = group.reduce((n, r) => n + r.count, 0);
        try {
          const doc = await this.counters.findOneAndUpdate({ _id: this.counterId }, { $inc: { seq: total } }, { upsert: true, returnDocument: 'after' });
          if (!doc) throw new Error('position counter did not answer');
          let next = doc.seq - total + 1;
          for (const r of group) {
            r.resolve(next);
            next += r.count;
          }
        } catch (err) {
          for (const r of group) r.reject(err);
        }
      }
    } finally {
      this.allocating = false;
    }
  }

  private async raiseCounterAbove(position: number): Promise<void> {
    await this.counters.updateOne({ _id: this.counterId }, { $max: { seq: position } });
  }

  private async loadRelayLow(): Promise<number> {
    const saved = (await this.counters.findOne({ _id: this.relayLowId }))?.seq ?? 0;
    this.relayLowSaved = saved;
    return Math.max(1, saved);
  }

  /** Where the relay's window starts, kept for its next start (a lower value only costs a longer look). */
  private async saveRelayLow(): Promise<void> {
    const low = this.relayLow ?? 0;
    if (low - this.relayLowSaved < 1_000) return;
    this.relayLowSaved = low;
    await this.counters.updateOne({ _id: this.relayLowId }, { $max: { seq: low } });
  }

  /** A commit of a single event, by the event's id (the relay marks what it fetched; this is for other callers). */
  private async findCommit(eventId: string): Promise<{ commitId: string; index: number; count: number }> {
    const doc = await this.commits.findOne({ _id: eventId }, { projection: { eventCount: 1 } });
    if (!doc) throw new Error(`no stored commit starts with event ${eventId} (mark the events the relay fetched)`);
    return { commitId: doc._id, index: 0, count: doc.eventCount };
  }
}
