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
  type Watermark,
  type PublishedAt,
  type ReadStreamResult,
  type StoredEvent,
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

/** A position clash is retried this often before giving up with a conflict. */
const MAX_POSITION_ATTEMPTS = 20;

/** Statements per update command; FerretDB v1.24 hangs from 100 on. */
const MAX_UPDATE_STATEMENTS = 50;

export interface MongoEventStoreOptions {
  collection?: string;
  /** Test hook: runs after positions are reserved and before the commit is written (a slow writer). */
  afterPositionsReserved?: (streamId: string, positions: number[]) => Promise<void>;
}

export class MongoEventStore implements EventStore, Outbox {
  private readonly commits: Collection<CommitDoc>;
  private readonly counters: Collection<CounterDoc>;
  private readonly counterId: string;
  private readonly commitOf = new Map<string, string>();
  private highest = 0;

  constructor(db: Db, private readonly options: MongoEventStoreOptions = {}) {
    const name = options.collection ?? 'events';
    this.commits = db.collection<CommitDoc>(name);
    this.counters = db.collection<CounterDoc>('counters');
    this.counterId = `${name}.position`;
  }

  async init(): Promise<void> {
    await this.commits.createIndex({ streamId: 1, version: 1 }, { unique: true, name: 'stream_version' });
    await this.commits.createIndex({ streamId: 1, lastVersion: 1 }, { unique: true, name: 'stream_last_version' });
    await this.commits.createIndex({ position: 1 }, { unique: true, name: 'position' });
    await this.commits.createIndex({ published: 1, position: 1 }, { name: 'outbox' });
    try {
      await this.counters.insertOne({ _id: this.counterId, seq: 0 });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async readStream<E extends DomainEvent = DomainEvent>(streamId: string): Promise<ReadStreamResult<E>> {
    const docs = await this.commits.find({ streamId }).sort({ version: 1 }).toArray();
    const events = docs.flatMap((d) => d.events) as StoredEvent<E>[];
    return { version: docs.length ? docs[docs.length - 1].lastVersion : 0, events };
  }

  async appendToStream(
    streamId: string,
    expectedVersion: number,
    events: DomainEvent[],
    metadata: EventMetadata,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
      throw new Error(`invalid expected version ${expectedVersion}`);
    }
    // Commit boundaries never move, so this check has no race: it refuses an expected version that
    // lies past the head or inside another commit (the unique index then catches every race).
    if (expectedVersion > 0) {
      const head = await this.commits.findOne({ streamId, lastVersion: expectedVersion }, { projection: { _id: 1 } });
      if (!head) throw new ConcurrencyConflictError(streamId, expectedVersion);
    }
    for (let attempt = 0; ; attempt++) {
      const positions = await this.reservePositions(events.length);
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
      try {
        await this.commits.insertOne({
          _id: stored[0].eventId,
          streamId,
          version: expectedVersion + 1,
          lastVersion: expectedVersion + events.length,
          position: positions[0],
          lastPosition: positions[positions.length - 1],
          events: stored,
          eventCount: stored.length,
          published: false,
          committedAt: new Date(),
        });
        this.highest = Math.max(this.highest, positions[positions.length - 1]);
        return { nextVersion: expectedVersion + events.length, positions, lastPosition: positions[positions.length - 1] };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Which unique index refused it? The stream's version: another writer won (the conflict).
        // Only the position: two appends drew the same one from the counter; draw again.
        const won = await this.commits.findOne({ streamId, version: expectedVersion + 1 }, { projection: { _id: 1 } });
        if (won || attempt >= MAX_POSITION_ATTEMPTS) throw new ConcurrencyConflictError(streamId, expectedVersion);
        await this.catchUpCounter();
      }
    }
  }

  async readAll(after: number, limit: number): Promise<StoredEvent[]> {
    const docs = await this.commits.find({ lastPosition: { $gt: after } }).sort({ position: 1 }).limit(limit).toArray();
    return docs.flatMap((d) => d.events).filter((e) => e.position > after).slice(0, limit);
  }

  async fetchUnpublished(limit: number): Promise<StoredEvent[]> {
    const docs = await this.commits.find({ published: false }).sort({ position: 1 }).limit(limit).toArray();
    for (const d of docs) for (const e of d.events) this.commitOf.set(e.eventId, d._id);
    return docs.flatMap((d) => d.events);
  }

  async markPublished(marks: { eventId: string; at: PublishedAt | null }[], watermark: Watermark): Promise<void> {
    const byCommit = new Map<string, Map<string, PublishedAt | null>>();
    for (const m of marks) {
      const commitId = this.commitOf.get(m.eventId) ?? (await this.findCommitId(m.eventId));
      if (!byCommit.has(commitId)) byCommit.set(commitId, new Map());
      byCommit.get(commitId)!.set(m.eventId, m.at);
    }
    if (byCommit.size === 0) return;
    const docs = await this.commits.find({ _id: { $in: [...byCommit.keys()] } }, { projection: { events: 1 } }).toArray();
    const ops = docs.map((d) => {
      const at = byCommit.get(d._id)!;
      return {
        updateOne: {
          filter: { _id: d._id },
          update: { $set: { published: true, publishedAt: d.events.map((e) => at.get(e.eventId) ?? null), watermark: Object.entries(watermark).map(([key, offset]) => ({ key, offset })) } },
        },
      };
    });
    // FerretDB v1 never answers an update command of 100 or more statements (and stalls with it).
    for (let i = 0; i < ops.length; i += MAX_UPDATE_STATEMENTS) {
      await this.commits.bulkWrite(ops.slice(i, i + MAX_UPDATE_STATEMENTS), { ordered: false });
    }
    for (const id of marks) this.commitOf.delete(id.eventId);
  }

  async backlog(): Promise<number> {
    const [row] = await this.commits
      .aggregate<{ n: number }>([{ $match: { published: false } }, { $group: { _id: null, n: { $sum: '$eventCount' } } }])
      .toArray();
    return row?.n ?? 0;
  }

  async highestPosition(): Promise<number> {
    const top = await this.commits.find({}, { projection: { lastPosition: 1 } }).sort({ lastPosition: -1 }).limit(1).next();
    const counter = (await this.counters.findOne({ _id: this.counterId }))?.seq ?? 0;
    return Math.max(top?.lastPosition ?? 0, counter);
  }

  async publication(position: number): Promise<Publication | undefined> {
    const doc = await this.commits.findOne({ position: { $lte: position }, lastPosition: { $gte: position } });
    if (!doc) return undefined;
    const index = doc.events.findIndex((e) => e.position === position);
    if (index < 0) return undefined;
    if (!doc.published) return { status: 'pending' };
    const at = doc.publishedAt?.[index] ?? null;
    const watermark: Watermark = Object.fromEntries((doc.watermark ?? []).map((w) => [w.key, w.offset]));
    return at ? { status: 'published', at, watermark } : { status: 'private', watermark };
  }

  /**
   * Positions come from a counter, but only as a hint: FerretDB v1 loses concurrent `$inc` updates
   * (200 concurrent increments left it at 28), so the unique index on `position` is what keeps them
   * unique, and a clash draws again. This process never hands out a position below one it has used.
   */
  private async reservePositions(count: number): Promise<number[]> {
    const doc = await this.counters.findOneAndUpdate(
      { _id: this.counterId },
      { $inc: { seq: count } },
      { upsert: true, returnDocument: 'after' },
    );
    if (!doc) throw new Error('position counter did not answer');
    const first = Math.max(doc.seq - count + 1, this.highest + 1);
    return Array.from({ length: count }, (_, i) => first + i);
  }

  /** After a clash: the highest position actually stored, pushed into the counter. */
  private async catchUpCounter(): Promise<void> {
    const top = await this.commits.find({}, { projection: { lastPosition: 1 } }).sort({ lastPosition: -1 }).limit(1).next();
    this.highest = Math.max(this.highest, top?.lastPosition ?? 0);
    await this.counters.updateOne({ _id: this.counterId }, { $max: { seq: this.highest } });
  }

  private async findCommitId(eventId: string): Promise<string> {
    const doc = await this.commits.findOne({ 'events.eventId': eventId }, { projection: { _id: 1 } });
    if (!doc) throw new Error(`no stored event ${eventId}`);
    return doc._id;
  }
}
