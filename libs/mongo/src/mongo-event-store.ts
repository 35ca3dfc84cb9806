import type { Collection, Db } from 'mongodb';
import {
  ConcurrencyConflictError,
  randomId,
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
import { GroupQueue, type GroupResult } from './group-queue';

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
  committedAt: Date;
}

/**
 * What one relay batch published: for each position, where it landed (partition -1 and offset null for
 * a private event), and the watermark of the batch. One insert per batch: commits are never rewritten to
 * say they were published. Parallel lists: FerretDB stores no arrays of arrays.
 */
interface PublicationDoc {
  _id: string;
  first: number;
  last: number;
  topic: string | null;
  positions: number[];
  partitions: number[];
  offsets: (string | null)[];
  /** As a list: topic names contain dots, which FerretDB does not allow in field names. */
  watermark: { key: string; offset: string }[];
  at: Date;
}

/**
 * Where the relay stands: every position below `low` was published, or is a hole; holes are positions
 * drawn but without a commit when the relay passed them (with when they were first seen empty): an
 * append that failed, or one still on its way (a slow writer), which is published when it shows up.
 */
interface RelayStateDoc {
  _id: string;
  low: number;
  holes: number[];
  holesSince: number[];
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

/** A hole is looked for this long; a writer stalled longer than this between drawing and inserting is lost. */
const HOLE_TTL_MS = 10 * 60_000;

/** At most this many holes are kept (each an `$in` value of the relay's look for late commits). */
const MAX_HOLES = 1_000;

/**
 * Commits this process wrote and the relay has not published yet, kept to hand to the relay without
 * reading them back (at most this many, for at most RECENT_TTL_MS: another instance may hold the lease).
 */
const RECENT_MAX = 20_000;
const RECENT_TTL_MS = 60_000;

/** Publications of the latest positions this process keeps for reads of its own writes. */
const PUBLISHED_KEPT = 5_000;

/** Positions per relay window at most; a publication record never spans more. */
const MAX_WINDOW = 5_000;

/** Positions per query when reading the whole log in position order (readAll). */
const READ_ALL_WINDOW = 2_000;

/** Reads of streams answered by one query at most (an `$or` of this many index prefixes). */
const MAX_GROUPED_READS = 100;

/** Streams whose last known version this process keeps (to skip the boundary check of an append). */
const KNOWN_HEADS = 20_000;

/**
 * After a look that found nothing, the relay's next looks read only the position counter while it has
 * not moved (one point read), for this long; then a full look again, for a commit of another process
 * whose position was drawn before that look and that became visible after it (a writer stalled between
 * the two). Appends of this process end the shortcut at once.
 */
const QUIET_LOOK_MS = 30_000;

export interface MongoEventStoreOptions {
  collection?: string;
  /** Test hook: runs after positions are reserved and before the commit is written (a slow writer). */
  afterPositionsReserved?: (streamId: string, positions: number[]) => Promise<void>;
}

/**
 * The event store and its outbox on MongoDB, every hot-path access a point read, an index prefix, an
 * insert or a bulk write by `_id`, so its cost does not grow with the number of events stored:
 *
 * | operation | access |
 * |---|---|
 * | append | one insert (its unique (streamId, version) key is the concurrency check) after one counter `$inc`, each shared by the appends in flight (group commit); plus one indexed point query when the expected version was never seen as the stream's head here |
 * | read a stream after version v | index prefix (streamId, lastVersion > v); the reads waiting while one is under way in one `$or` of their prefixes (group read) |
 * | relay: next batch | index prefix (published, position in a window), plus (published, position below it) for late commits |
 * | relay: mark published | one bulk update by `_id` |
 * | read-your-writes: where is position p | index point (position = p), else a range of at most MAX_EVENTS_PER_COMMIT positions |
 * | highest position | the counter (a point read) |
 */
export class MongoEventStore implements EventStore, Outbox {
  private readonly commits: Collection<CommitDoc>;
  private readonly counters: Collection<CounterDoc>;
  private readonly counterId: string;
  private readonly publications: Collection<PublicationDoc>;
  private readonly relayStates: Collection<RelayStateDoc>;
  private readonly relayStateId: string;
  /** The relay's state, loaded on its first look. */
  private relay: { low: number; holes: Map<number, number> } | undefined;
  /** What the relay's last look handed out, and the state it leads to once it is marked published. */
  private handedOut: { positionOf: Map<string, number>; windowPositions: number[]; latePositions: Set<number>; nextLow: number; holes: Map<number, number> } | undefined;
  /** Stream → a version that was its head (every head is a commit boundary forever). */
  private readonly heads = new Map<string, number>();
  private lastEmptyLook: { highest: number; at: number } | undefined;
  /** Commits written by this process, not yet marked published, by first position (see RECENT_MAX). */
  private readonly recent = new Map<number, { doc: CommitDoc; at: number }>();
  /** Positions drawn by this process whose commit is not written (or refused) yet. */
  private readonly inFlight = new Set<number>();
  /** Where the relay of this process published positions lately (reads of one's own writes ask). */
  private readonly published = new Map<number, Publication>();

  constructor(db: Db, private readonly options: MongoEventStoreOptions = {}) {
    const name = options.collection ?? 'events';
    this.commits = db.collection<CommitDoc>(name);
    this.counters = db.collection<CounterDoc>('counters');
    this.counterId = `${name}.position`;
    this.publications = db.collection<PublicationDoc>(`${name}_publications`);
    this.relayStates = db.collection<RelayStateDoc>('relay_state');
    this.relayStateId = name;
  }

  async init(): Promise<void> {
    await this.commits.createIndex({ streamId: 1, version: 1 }, { unique: true, name: 'stream_version' });
    await this.commits.createIndex({ streamId: 1, lastVersion: 1 }, { unique: true, name: 'stream_last_version' });
    await this.commits.createIndex({ position: 1 }, { unique: true, name: 'position' });
    await this.publications.createIndex({ last: 1 }, { name: 'last' });
    try {
      await this.counters.insertOne({ _id: this.counterId, seq: 0 });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async readStream<E extends DomainEvent = DomainEvent>(streamId: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult<E>> {
    const after = options.after ?? 0;
    const docs = await this.reads.submit({ streamId, after });
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
      for (const p of positions) this.inFlight.add(p);
      try {
        return await this.insertCommit(streamId, expectedVersion, events, metadata, positions);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Which unique index refused it? The stream's version: another writer won (the conflict).
        // A position clash cannot happen with an atomic counter; if the counter was ever reset, draw again.
        const won = await this.commits.findOne({ streamId, version: expectedVersion + 1 }, { projection: { _id: 1 } });
        if (won || attempt >= 3) throw new ConcurrencyConflictError(streamId, expectedVersion);
        await this.raiseCounterAbove(positions[positions.length - 1]);
      } finally {
        for (const p of positions) this.inFlight.delete(p);
      }
    }
  }

  private async insertCommit(streamId: string, expectedVersion: number, events: DomainEvent[], metadata: EventMetadata, positions: number[]): Promise<AppendResult> {
    await this.options.afterPositionsReserved?.(streamId, positions);
    const stored = events.map((e, i): StoredEvent => ({
      eventId: randomId(),
      streamId,
      version: expectedVersion + i + 1,
      position: positions[i],
      type: e.type,
      schemaVersion: e.schemaVersion ?? 1,
      data: e.data,
      metadata,
    }));
    const lastVersion = expectedVersion + events.length;
    const doc: CommitDoc = {
      _id: stored[0].eventId,
      streamId,
      version: expectedVersion + 1,
      lastVersion,
      position: positions[0],
      lastPosition: positions[positions.length - 1],
      events: stored,
      eventCount: stored.length,
      committedAt: new Date(),
    };
    await this.inserts.submit(doc);
    this.noteHead(streamId, lastVersion);
    this.remember(doc);
    // a look between the draw and this insert may have found nothing: the relay must look again
    this.lastEmptyLook = undefined;
    return { nextVersion: lastVersion, positions, lastPosition: positions[positions.length - 1] };
  }

  /**
   * Group read: the reads that wait while a read is under way go in one query, an `$or` of their index
   * prefixes (each member an index seek, on MongoDB and on the local server), and each takes its own
   * stream's commits from the answer. One read alone is one query.
   */
  private readonly reads = new GroupQueue<{ streamId: string; after: number }, CommitDoc[]>(MAX_GROUPED_READS, async (group) => {
    // one member per stream, from the lowest version any of its readers asked after
    const from = new Map<string, number>();
    for (const r of group) from.set(r.streamId, Math.min(r.after, from.get(r.streamId) ?? r.after));
    const members = [...from].map(([streamId, after]) => (after > 0 ? { streamId, lastVersion: { $gt: after } } : { streamId }));
    const docs = await this.commits.find(members.length === 1 ? members[0] : { $or: members }).toArray();
    const byStream = new Map<string, CommitDoc[]>();
    for (const d of docs) {
      const list = byStream.get(d.streamId);
      if (list) list.push(d);
      else byStream.set(d.streamId, [d]);
    }
    return group.map((r) => ({ ok: true, value: (byStream.get(r.streamId) ?? []).filter((d) => d.lastVersion > r.after) }));
  });

  /**
   * Group commit: the commits of appends that wait while an insert is under way go in one unordered
   * insertMany, each still all or nothing (a document), each refused alone (its unique key) with the
   * server's own error, so a conflict stays the appender's. One append alone is one insertOne.
   */
  private readonly inserts = new GroupQueue<CommitDoc, void>(500, async (group) => {
    if (group.length === 1) {
      return this.commits.insertOne(group[0]).then(
        () => [{ ok: true, value: undefined }],
        (error: unknown) => [{ ok: false, error }],
      );
    }
    try {
      await this.commits.insertMany(group, { ordered: false });
      return group.map(() => ({ ok: true, value: undefined }));
    } catch (err) {
      const writeErrors = (err as { writeErrors?: { index: number; code?: number; errmsg?: string }[] }).writeErrors;
      if (!Array.isArray(writeErrors)) throw err;
      const failed = new Map(writeErrors.map((w) => [w.index, w]));
      return group.map((doc, i): GroupResult<void> => {
        const w = failed.get(i);
        return w ? { ok: false, error: Object.assign(new Error(w.errmsg ?? `insert of commit ${doc._id} failed`), { code: w.code }) } : { ok: true, value: undefined };
      });
    }
  });

  /** Keeps a written commit for the relay of this process (bounded in number and age). */
  private remember(doc: CommitDoc): void {
    const now = Date.now();
    this.recent.set(doc.position, { doc, at: now });
    for (const [p, r] of this.recent) {
      if (this.recent.size <= RECENT_MAX && now - r.at < RECENT_TTL_MS) break;
      this.recent.delete(p);
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

  /**
   * The relay's next batch: commits that were holes when it passed them and have shown up since (late),
   * else the commits of the next window of positions from `low`, whole commits, at most `limit` events,
   * in position order. Every access is an index point or range; the positions of the window that hold
   * no commit become holes.
   */
  async fetchUnpublished(limit: number): Promise<StoredEvent[]> {
    const highest = await this.highestPosition();
    const relay = this.relay ?? (await this.loadRelayState());
    const now = Date.now();
    // holes of the last minute are appends on their way (other instances'): keep looking for them
    const youngHoles = [...relay.holes.values()].some((since) => now - since < 60_000);
    const quiet = this.lastEmptyLook;
    if (quiet && !youngHoles && quiet.highest === highest && now - quiet.at < QUIET_LOOK_MS) return [];
    this.lastEmptyLook = undefined;
    const holes = new Map([...relay.holes].filter(([, since]) => now - since < HOLE_TTL_MS));
    let late: CommitDoc[] = [];
    if (holes.size > 0) {
      // holes this process has written since come from memory; the others are looked up by position
      const unknown = [...holes.keys()].filter((p) => !this.recent.has(p) && !this.inFlight.has(p));
      late = [...holes.keys()].flatMap((p) => this.recent.get(p)?.doc ?? []);
      if (unknown.length > 0) late.push(...(await this.commits.find({ position: { $in: unknown } }).toArray()));
    }
    const docs: CommitDoc[] = [];
    let low = relay.low;
    if (late.length === 0) {
      const window = Math.min(MAX_WINDOW, Math.max(100, limit));
      while (docs.length === 0 && low <= highest) {
        const end = Math.min(low + window, highest + 1);
        const found = this.fromMemory(low, end) ?? (await this.commits.find({ position: { $gte: low, $lt: end } }).toArray()).sort((a, b) => a.position - b.position);
        let events = 0;
        let next = low;
        for (const d of found) {
          if (events > 0 && events + d.eventCount > limit) break;
          for (let p = next; p < d.position; p++) holes.set(p, now);
          docs.push(d);
          events += d.eventCount;
          next = d.lastPosition + 1;
        }
        // all of the window taken: its empty positions after the last commit are holes too
        if (docs.length === found.length) for (let p = next; p < end; p++) holes.set(p, now);
        low = docs.length === found.length ? end : next;
      }
    }
    late.sort((a, b) => a.position - b.position);
    for (const d of late) for (let p = d.position; p <= d.lastPosition; p++) holes.delete(p);
    while (holes.size > MAX_HOLES) holes.delete(holes.keys().next().value!);
    const batch = [...late, ...docs].flatMap((d) => d.events);
    this.handedOut = {
      positionOf: new Map(batch.map((e) => [e.eventId, e.position])),
      windowPositions: docs.flatMap((d) => d.events.map((e) => e.position)),
      latePositions: new Set(late.flatMap((d) => d.events.map((e) => e.position))),
      nextLow: low,
      holes,
    };
    if (batch.length === 0) {
      // nothing to mark: the window moved past empty positions (now holes)
      await this.saveRelayState(low, holes);
      this.lastEmptyLook = { highest, at: Date.now() };
    }
    return batch;
  }

  /** Records one publication for the batch, then moves the relay on (a crash in between republishes). */
  async markPublished(marks: { eventId: string; at: PublishedAt | null }[], watermark: Watermark): Promise<void> {
    if (marks.length === 0) return;
    const out = this.handedOut;
    const entries: [number, number, string | null][] = [];
    let topic: string | null = null;
    for (const m of marks) {
      const position = out?.positionOf.get(m.eventId) ?? (await this.positionOfEvent(m.eventId));
      entries.push([position, m.at ? m.at.partition : -1, m.at ? m.at.offset : null]);
      topic ??= m.at?.topic ?? null;
    }
    entries.sort((a, b) => a[0] - b[0]);
    // one record per span of at most MAX_WINDOW positions (late commits may lie far apart)
    const records: PublicationDoc[] = [];
    const marksList = Object.entries(watermark).map(([key, offset]) => ({ key, offset }));
    for (const [position, partition, offset] of entries) {
      let r = records[records.length - 1];
      if (!r || position - r.first >= MAX_WINDOW) {
        r = { _id: `${position}-${randomId()}`, first: position, last: position, topic, positions: [], partitions: [], offsets: [], watermark: marksList, at: new Date() };
        records.push(r);
      }
      r.positions.push(position);
      r.partitions.push(partition);
      r.offsets.push(offset);
      r.last = position;
    }
    await this.publications.insertMany(records, { ordered: false });
    const marksWatermark = { ...watermark };
    for (const [position, partition, offset] of entries) {
      this.published.set(position, offset !== null && topic !== null ? { status: 'published', at: { topic, partition, offset }, watermark: marksWatermark } : { status: 'private', watermark: marksWatermark });
    }
    for (const p of this.published.keys()) {
      if (this.published.size <= PUBLISHED_KEPT) break;
      this.published.delete(p);
    }
    const marked = new Set(entries.map((e) => e[0]));
    for (const p of marked) this.recent.delete(p);
    if (!out) return;
    // what was handed out and not marked stays to publish: the window restarts at it, late ones stay holes
    const unmarkedWindow = out.windowPositions.filter((p) => !marked.has(p));
    const low = unmarkedWindow.length > 0 ? Math.min(...unmarkedWindow) : out.nextLow;
    const holes = new Map(out.holes);
    for (const p of out.latePositions) if (!marked.has(p)) holes.set(p, Date.now());
    await this.saveRelayState(low, holes);
    this.handedOut = undefined;
  }

  /**
   * The commits of positions [low, end) when this process knows every one of them: written here (kept
   * in memory) or still being written here (then a hole for now). Undefined when another process drew
   * one of them, or this process forgot it: then the relay reads the window from the store.
   */
  private fromMemory(low: number, end: number): CommitDoc[] | undefined {
    const docs: CommitDoc[] = [];
    for (let p = low; p < end; ) {
      const r = this.recent.get(p);
      if (r) {
        docs.push(r.doc);
        p = r.doc.lastPosition + 1;
      } else if (this.inFlight.has(p)) p++;
      else return undefined;
    }
    return docs;
  }

  /** Events at or past the relay's window that it has not published (holes left out), as the relay last saved it. */
  async backlog(): Promise<number> {
    const low = Math.max(1, (await this.relayStates.findOne({ _id: this.relayStateId }))?.low ?? 1);
    const docs = await this.commits.find({ position: { $gte: low } }, { projection: { eventCount: 1 } }).toArray();
    return docs.reduce((n, d) => n + d.eventCount, 0);
  }

  async highestPosition(): Promise<number> {
    return (await this.counters.findOne({ _id: this.counterId }))?.seq ?? 0;
  }

  /** Whether the relay of this process published `position` lately (known without a query). */
  publishedHere(position: number): boolean {
    return this.published.has(position);
  }

  async publication(position: number): Promise<Publication | undefined> {
    const known = this.published.get(position);
    if (known) return known;
    // a publication record spans at most MAX_WINDOW positions (or one late commit): an index range
    const records = await this.publications.find({ last: { $gte: position, $lt: position + MAX_WINDOW + MAX_EVENTS_PER_COMMIT }, first: { $lte: position } }).toArray();
    for (const r of records) {
      const i = r.positions.indexOf(position);
      if (i < 0) continue;
      const watermark: Watermark = Object.fromEntries(r.watermark.map((w) => [w.key, w.offset]));
      const offset = r.offsets[i];
      return offset !== null && r.topic !== null ? { status: 'published', at: { topic: r.topic, partition: r.partitions[i], offset }, watermark } : { status: 'private', watermark };
    }
    // a commit this process wrote, and has not seen published, is there: pending, without a look
    if (this.wroteHere(position)) return { status: 'pending' };
    const commit =
      (await this.commits.findOne({ position }, { projection: { _id: 1 } })) ??
      (await this.commits.findOne({ position: { $gt: position - MAX_EVENTS_PER_COMMIT, $lt: position }, lastPosition: { $gte: position } }, { projection: { _id: 1 } }));
    return commit ? { status: 'pending' } : undefined;
  }

  /** Whether `position` falls in a commit this process wrote and still remembers (see `recent`). */
  private wroteHere(position: number): boolean {
    for (let first = position; first > position - MAX_EVENTS_PER_COMMIT && first > 0; first--) {
      const r = this.recent.get(first);
      if (r) return r.doc.lastPosition >= position;
    }
    return false;
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
    return this.positions.submit(count);
  }

  private readonly positions = new GroupQueue<number, number>(Number.MAX_SAFE_INTEGER, async (counts) => {
    const total = counts.reduce((n, c) => n + c, 0);
    const doc = await this.counters.findOneAndUpdate({ _id: this.counterId }, { $inc: { seq: total } }, { upsert: true, returnDocument: 'after' });
    if (!doc) throw new Error('position counter did not answer');
    let next = doc.seq - total + 1;
    return counts.map((c): GroupResult<number> => {
      const first = next;
      next += c;
      return { ok: true, value: first };
    });
  });

  private async raiseCounterAbove(position: number): Promise<void> {
    await this.counters.updateOne({ _id: this.counterId }, { $max: { seq: position } });
  }

  private async loadRelayState(): Promise<{ low: number; holes: Map<number, number> }> {
    const doc = await this.relayStates.findOne({ _id: this.relayStateId });
    this.relay = { low: Math.max(1, doc?.low ?? 1), holes: new Map((doc?.holes ?? []).map((p, i) => [p, doc!.holesSince[i] ?? Date.now()])) };
    return this.relay;
  }

  /** One write per batch: where the relay stands and the holes it still looks for. */
  private async saveRelayState(low: number, holes: Map<number, number>): Promise<void> {
    const previous = this.relay;
    this.relay = { low, holes };
    if (previous && previous.low === low && previous.holes.size === holes.size && [...holes.keys()].every((p) => previous.holes.has(p))) return;
    await this.relayStates.updateOne({ _id: this.relayStateId }, { $set: { low, holes: [...holes.keys()], holesSince: [...holes.values()] } }, { upsert: true });
  }

  /** The position of an event the relay did not hand out (the first event of its commit: its `_id`). */
  private async positionOfEvent(eventId: string): Promise<number> {
    const doc = await this.commits.findOne({ _id: eventId }, { projection: { position: 1 } });
    if (!doc) throw new Error(`no stored commit starts with event ${eventId} (mark the events the relay fetched)`);
    return doc.position;
  }
}
