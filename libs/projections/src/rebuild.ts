import type { Db } from 'mongodb';
import type { Kafka } from 'kafkajs';
import { decodeEvent, type EventEnvelope } from '@vaops/contracts';
import { MongoLease } from '@vaops/mongo';
import { newId } from '@vaops/event-sourcing';
import { CheckpointStore, offsetKey, type Offsets } from './checkpoints';
import { ensureIndexes, liveStore, shadowName, shadowPrefix, shadowStore, type ProjectionDefinition, type ReadModelStore } from './definition';
import { hashCollection } from './hash';
import { BatchApplier, applyBatch } from './unit-of-work';

export interface RebuildProgress {
  projection: string;
  processed: number;
  total: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
}

export interface RebuildOptions {
  db: Db;
  kafka: Kafka;
  definition: ProjectionDefinition;
  /** Swap even when the rebuilt read model differs from the live one (the live one was damaged). */
  force?: boolean;
  /** How long to wait for the live projection to reach the offsets the rebuild reached. */
  catchUpTimeoutMs?: number;
  onProgress?: (p: RebuildProgress) => void;
}

export interface RebuildResult {
  projection: string;
  events: number;
  failed: number;
  seconds: number;
  eventsPerSecond: number;
  equal: boolean;
  swapped: boolean;
  live: Record<string, { hash: string; count: number }>;
  rebuilt: Record<string, { hash: string; count: number }>;
}

export class RebuildLockedError extends Error {}
export class RebuildMismatchError extends Error {
  constructor(public readonly result: RebuildResult) {
    super(`rebuilt read model of ${result.projection} differs from the live one; not swapped (the rebuilt one stays in its <collection>__rebuild_<run> collections for inspection until the next rebuild; use --force to swap anyway)`);
  }
}

const LOCK_TTL_MS = 30_000;
/** The shadow is written when this many documents are held in memory, or this often. */
const MAX_HELD_DOCUMENTS = 20_000;
const FLUSH_EVERY_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Empty shadow collections of this run with the read model's indexes (created even if no event writes to
 * one, so the swap has something to rename). Shadows of earlier runs (kept after a rebuild that differed,
 * for inspection, or left by a crash) are dropped first. A failed preparation is repeated a few times
 * before the rebuild gives up (see shadowName for the FerretDB failure that made names unique per run).
 */
async function prepareShadows(db: Db, def: ProjectionDefinition, run: string, target: ReadModelStore): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const existing = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      for (const name of Object.keys(def.collections)) {
        for (const stale of existing.filter((c) => c.startsWith(shadowPrefix(name)))) await db.collection(stale).drop().catch(() => undefined);
        await db.collection(shadowName(name, run)).drop().catch(() => undefined);
        await db.createCollection(shadowName(name, run));
      }
      await ensureIndexes(def, target);
      return;
    } catch (err) {
      if (attempt >= 4) throw err;
      await sleep(250 * attempt);
    }
  }
}

/**
 * Replays the whole log into shadow collections while the live read model keeps serving, checks that
 * the two are equal (a hash of their documents at the same offsets), and swaps the shadow in.
 * A lock keeps two rebuilds of one projection apart (two at once corrupt it, jasperfx #1009).
 * FerretDB cannot rename over an existing collection, so the swap is two renames; events the live
 * projection applies meanwhile are replayed into the new collection afterwards (handlers are idempotent).
 */
export async function rebuildProjection(o: RebuildOptions): Promise<RebuildResult> {
  const { db, kafka, definition: def } = o;
  const owner = `rebuild-${newId()}`;
  const lock = new MongoLease(db, `rebuild:${def.name}`);
  if (!(await lock.tryAcquire(owner, LOCK_TTL_MS))) {
    throw new RebuildLockedError(`a rebuild of ${def.name} is already running`);
  }
  const renew = setInterval(() => void lock.tryAcquire(owner, LOCK_TTL_MS).catch(() => undefined), LOCK_TTL_MS / 3);
  const started = Date.now();
  const checkpoints = new CheckpointStore(db);
  const admin = kafka.admin();
  // a catch-up reader: large fetches (fewer round trips through the log), and a short long-poll, so
  // leaving the group (which waits for the fetch in flight) is quick once the replay is done
  const consumer = kafka.consumer({ groupId: `${def.name}.rebuild.${owner}`, maxWaitTimeInMs: 20, sessionTimeout: 30_000, maxBytesPerPartition: 16 << 20, maxBytes: 64 << 20 });
  const run = owner.replace(/-/g, '').slice(-12);
  let target: ReadModelStore = shadowStore(db, run);
  const reached: Offsets = new Map();
  let processed = 0;
  let failed = 0;
  // connecting and subscribing (a few round trips) go on while the shadows are prepared and the log's ends read
  const joining = (async () => {
    await consumer.connect();
    for (const topic of def.topics) await consumer.subscribe({ topic, fromBeginning: true });
  })();
  joining.catch(() => undefined); // awaited before the replay starts, and before leaving
  try {
    await prepareShadows(db, def, run, target);

    await admin.connect();
    const goal: Offsets = new Map();
    const low: Offsets = new Map();
    let total = 0;
    for (const topic of def.topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        goal.set(offsetKey(topic, p.partition), BigInt(p.high));
        reached.set(offsetKey(topic, p.partition), BigInt(p.low));
        low.set(offsetKey(topic, p.partition), BigInt(p.low));
        total += Number(BigInt(p.high) - BigInt(p.low));
      }
    }
    // Batches are applied in memory (BatchApplier) and written every few seconds, at the comparison
    // and at the swap; one at a time (the consumer's batches and the comparison share the applier).
    // the shadow starts empty and the rebuild is its only writer: nothing is read from it until the
    // applier forgets what it holds (a discard, past MAX_HELD_DOCUMENTS or after a refused event)
    let applier = new BatchApplier(def, target, { emptyTarget: true });
    let pending: EventEnvelope[] = [];
    let flushedAt = Date.now();
    let swapped = false;
    let queue: Promise<unknown> = Promise.resolve();
    let onReached: (() => void) | undefined;
    const serially = <T>(job: () => Promise<T>): Promise<T> => {
      const run = queue.then(job);
      queue = run.catch(() => undefined);
      return run;
    };
    const flush = async () => {
      await applier.flush();
      pending = [];
      flushedAt = Date.now();
      // memory stays bounded for read models of any size: what was written is read again when touched
      if (applier.size > MAX_HELD_DOCUMENTS) applier.discard();
    };
    const report = () => {
      const secs = (Date.now() - started) / 1000;
      const rate = secs > 0 ? processed / secs : 0;
      o.onProgress?.({ projection: def.name, processed, total, eventsPerSecond: rate, etaSeconds: rate > 0 ? Math.max(0, (total - processed) / rate) : null });
    };

    await joining;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (let i = 0; i < batch.messages.length; i += 1_000) {
          const chunk = batch.messages.slice(i, i + 1_000);
          const events: EventEnvelope[] = [];
          for (const m of chunk) {
            try {
              events.push(decodeEvent(JSON.parse(m.value?.toString('utf8') ?? '')));
            } catch {
              failed++; // the live projection dead-lettered it too
            }
          }
          await serially(async () => {
            try {
              await applier.apply(events);
              pending.push(...events);
            } catch {
              // an event its handler refuses (dead-lettered live): forget what is not written yet and
              // write it again one event at a time, counting the ones refused
              applier.discard();
              for (const e of [...pending, ...events]) {
                try {
                  await applyBatch(def, [e], target);
                } catch {
                  failed++;
                }
              }
              pending = [];
            }
            // the shadow has one writer (this rebuild): many batches between two writes; after the
            // swap the live projection writes the same collections, so every batch is written at once
            if (swapped || applier.size > MAX_HELD_DOCUMENTS || Date.now() - flushedAt > FLUSH_EVERY_MS) await flush();
            processed += chunk.length;
            reached.set(offsetKey(batch.topic, batch.partition), BigInt(chunk[chunk.length - 1].offset) + 1n);
            onReached?.();
          });
          resolveOffset(chunk[chunk.length - 1].offset);
          await heartbeat();
          report();
        }
      },
    });

    const logEnds = async (): Promise<Offsets> => {
      const ends: Offsets = new Map();
      for (const topic of def.topics) for (const p of await admin.fetchTopicOffsets(topic)) ends.set(offsetKey(topic, p.partition), BigInt(p.high));
      return ends;
    };
    const atLeast = (have: Offsets, want: Offsets) => [...want].every(([k, v]) => (have.get(k) ?? 0n) >= v);
    const deadline = Date.now() + (o.catchUpTimeoutMs ?? 60_000);
    const hashes = async (store: ReadModelStore) =>
      Object.fromEntries(await Promise.all(Object.keys(def.collections).map(async (n) => [n, await hashCollection(store.collection(n))] as const)));

    /** Resolves when the replay has reached `want` (or after `ms`). */
    const replayed = (want: Offsets, ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          onReached = undefined;
          resolve();
        }
        onReached = () => {
          if (atLeast(reached, want)) done();
        };
      });

    // Catch up with the log and with the live projection, then compare at identical offsets.
    let live: Record<string, { hash: string; count: number }> = {};
    let rebuilt: Record<string, { hash: string; count: number }> = {};
    for (;;) {
      if (Date.now() > deadline) throw new Error(`rebuild of ${def.name}: the live projection did not reach the rebuilt offsets in time`);
      const liveOffsets = await checkpoints.load(def.name);
      // A partition the live projection never consumed is where the log starts.
      const liveAt = (k: string) => liveOffsets.get(k) ?? low.get(k) ?? 0n;
      for (const k of reached.keys()) if (liveAt(k) > (goal.get(k) ?? 0n)) goal.set(k, liveAt(k));
      if (!atLeast(reached, goal)) {
        await replayed(goal, 250); // woken by the batch that gets there, not by polling
        continue;
      }
      const aligned = [...reached].every(([k, v]) => liveAt(k) === v);
      if (!aligned && !o.force) {
        await sleep(50); // the live projection is behind: wait for it
        continue;
      }
      // Compare only at a quiet moment: both sides have applied the whole log and it did not grow while
      // hashing (a live projection writes its documents before it saves the batch's checkpoint).
      const endsBefore = await logEnds();
      if ([...endsBefore].some(([k, v]) => (reached.get(k) ?? 0n) !== v)) {
        await sleep(50);
        continue;
      }
      // what the shadow holds once flushed, read in the same job (a batch may have moved on meanwhile):
      // it must be the log's end and the live projection's checkpoint, all three the same offsets
      let flushed: Offsets = new Map();
      await serially(async () => {
        await flush();
        flushed = new Map(reached);
      });
      if ([...endsBefore].some(([k, v]) => flushed.get(k) !== v) || (!o.force && [...flushed].some(([k, v]) => liveAt(k) !== v))) {
        await sleep(50);
        continue;
      }
      [live, rebuilt] = await Promise.all([hashes(liveStore(db)), hashes(target)]);
      const after = await checkpoints.load(def.name);
      const endsAfter = await logEnds();
      const moved = [...reached.keys()].some((k) => (after.get(k) ?? null) !== (liveOffsets.get(k) ?? null)) || [...endsAfter].some(([k, v]) => endsBefore.get(k) !== v);
      if (moved) continue;
      break;
    }
    const equal = Object.keys(def.collections).every((n) => live[n].hash === rebuilt[n].hash);
    const seconds = (Date.now() - started) / 1000;
    const result: RebuildResult = { projection: def.name, events: processed, failed, seconds, eventsPerSecond: processed / seconds, equal, swapped: false, live, rebuilt };
    if (!equal && !o.force) throw new RebuildMismatchError(result);

    // Swap: live -> old, shadow -> live, drop old. Then point the still-running replay at the live names.
    await serially(async () => {
      await flush();
      for (const name of Object.keys(def.collections)) {
        const old = `${name}__old`;
        await db.collection(old).drop().catch(() => undefined);
        await db.collection(name).rename(old).catch(() => undefined);
        const strays: string[] = [];
        for (let attempt = 0; ; attempt++) {
          try {
            await db.collection(shadowName(name, run)).rename(name);
            break;
          } catch (err) {
            // A live write recreated the collection between the two renames: move it aside; the
            // catch-up below replays its events into the new collection.
            if (!String(err).includes('target namespace exists') || attempt >= 10) throw err;
            const stray = `${name}__stray${attempt}`;
            await db.collection(stray).drop().catch(() => undefined);
            await db.collection(name).rename(stray).catch(() => undefined);
            strays.push(stray);
          }
        }
        for (const c of [old, ...strays]) await db.collection(c).drop().catch(() => undefined);
      }
      target = liveStore(db);
      applier = new BatchApplier(def, target);
      swapped = true;
    });
    result.swapped = true;
    // The live projection may have applied events to the old collection between the comparison and
    // the renames; the replay, still running and now writing to the live names, passes them too.
    const liveAfterSwap = await checkpoints.load(def.name);
    while (!atLeast(reached, liveAfterSwap)) {
      if (Date.now() > deadline) throw new Error(`rebuild of ${def.name}: swapped, but the replay did not catch up with the live projection in time`);
      await sleep(50);
    }
    report();
    return result;
  } finally {
    clearInterval(renew);
    await joining.catch(() => undefined);
    await consumer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await lock.release(owner).catch(() => undefined);
  }
}

/** A one-line progress bar with events/s and ETA, redrawn in place on a terminal. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): (p: RebuildProgress) => void {
  let lastDraw = 0;
  return (p) => {
    const now = Date.now();
    if (now - lastDraw < 200 && p.processed < p.total) return;
    lastDraw = now;
    const width = 30;
    const frac = p.total > 0 ? Math.min(1, p.processed / p.total) : 1;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '-');
    const eta = p.etaSeconds === null ? '?' : `${p.etaSeconds.toFixed(1)}s`;
    const line = `${p.projection} [${bar}] ${(frac * 100).toFixed(0)}% ${p.processed}/${p.total} events ${Math.round(p.eventsPerSecond)} ev/s ETA ${eta}`;
    stream.write(stream.isTTY ? `\r${line}` : `${line}\n`);
  };
}
