/**
 * Small helpers shared by the benchmarks (bench code may not import @vaops/testing).
 * Every benchmark prints a human table and, as its LAST stdout line, one JSON object that
 * bench/run.mjs collects: { bench, ratio, ratioOf, n, rates: { numerator, denominator }, ...figures }.
 */
import { Partitioners, type Kafka, type Message } from 'kafkajs';
import type { Connection } from 'mongoose';
import type { Db } from 'mongodb';
import type { EventEnvelope, EventMetadata } from '@vaops/contracts';
import { ConcurrencyConflictError, newId, type DomainEvent, type EventStore } from '@vaops/event-sourcing';
import { connectMongo } from '@vaops/mongo';
import { createKafka } from '@vaops/kafka';

export interface BenchEnv {
  kafkaBrokers: string[];
  mongoUrl: string;
  n: number;
}

export function benchEnv(): BenchEnv {
  const brokers = process.env.KAFKA_BROKERS;
  const mongoUrl = process.env.MONGO_URL;
  if (!brokers || !mongoUrl) throw new Error('KAFKA_BROKERS and MONGO_URL must be set (bench/run.mjs sets them)');
  const n = Number(process.env.BENCH_N ?? 2000);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`BENCH_N must be a positive integer, got ${process.env.BENCH_N}`);
  return { kafkaBrokers: brokers.split(',').map((b) => b.trim()), mongoUrl, n };
}

let counter = 0;
/** Unique per process and call: databases, topics and consumer groups of one run never collide. */
export const uniqueName = (prefix: string): string =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export interface BenchDatabase {
  conn: Connection;
  db: Db;
  name: string;
  drop(): Promise<void>;
}

export async function benchDatabase(env: BenchEnv, prefix: string): Promise<BenchDatabase> {
  const name = uniqueName(prefix).replace(/[^a-zA-Z0-9_]/g, '_').slice(0, 60);
  const conn = await connectMongo(env.mongoUrl, name);
  return {
    conn,
    db: conn.db!,
    name,
    drop: async () => {
      await conn.db?.dropDatabase().catch((err) => log(`could not drop database ${name}: ${String(err)}`));
      await conn.close();
    },
  };
}

export function benchKafka(env: BenchEnv, clientId: string): Kafka {
  return createKafka({
    brokers: env.kafkaBrokers,
    clientId,
    logger: { warn: () => undefined, error: (message, ctx) => log(`kafkajs: ${message} ${JSON.stringify(ctx ?? {})}`) },
  });
}

/** Best-effort removal of this run's topics and consumer groups (the broker is shared). */
export async function cleanupKafka(kafka: Kafka, topics: string[], groupPrefixes: string[]): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    if (groupPrefixes.length > 0) {
      const { groups } = await admin.listGroups();
      const mine = groups.map((g) => g.groupId).filter((g) => groupPrefixes.some((p) => g.startsWith(p)));
      if (mine.length > 0) await admin.deleteGroups(mine).catch(() => undefined);
    }
    const existing = new Set(await admin.listTopics());
    const doomed = topics.filter((t) => existing.has(t));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed, timeout: 10_000 });
  } catch (err) {
    log(`kafka cleanup incomplete: ${String(err)}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export const benchMetadata = (): EventMetadata => ({
  agencyId: 'agency-bench',
  actor: { sub: 'system:bench', role: 'system' },
  correlationId: newId(),
  causationId: newId(),
  occurredAt: '2026-01-01T00:00:00.000Z',
});

/**
 * appendToStream for a stream that has ONE writer (this benchmark), so a ConcurrencyConflictError can
 * only be spurious (plain FerretDB v1 lost concurrent `$inc`s on the position counter; the project's
 * patched server does not): retries the same append and returns how many retries it took, which the
 * benchmarks report (0 expected).
 */
export async function appendOwnStream(store: EventStore, streamId: string, expectedVersion: number, events: DomainEvent[], maxRetries = 200): Promise<number> {
  for (let retries = 0; ; retries++) {
    try {
      await store.appendToStream(streamId, expectedVersion, events, benchMetadata());
      return retries;
    } catch (err) {
      if (!(err instanceof ConcurrencyConflictError) || retries >= maxRetries) throw err;
    }
  }
}

/** Runs `job(0..n-1)` with at most `concurrency` in flight, jobs taken in index order. */
export async function pool(n: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await job(i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, worker));
}

/** Wall-clock seconds of `fn`. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Progress and diagnostics go to stderr; stdout holds only the table and the JSON line. */
export const log = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

export const round = (v: number, digits = 1): number => Number(v.toFixed(digits));

export function printTable(title: string, rows: [string, string | number][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [title, '-'.repeat(title.length), ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`)];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export interface BenchResult {
  bench: string;
  ratio: number;
  ratioOf: string;
  n: number;
  rates: { numerator: number; denominator: number };
  [figure: string]: unknown;
}

export function emitResult(result: BenchResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Entry point wrapper: exit 0 after a clean run, 1 with the error on stderr otherwise. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

/** N valid `Counted` envelopes over `streams` streams (versions 1.. per stream, positions 1..N), keyed by stream. */
export function countedEnvelopes(n: number, streams: number): Message[] {
  return Array.from({ length: n }, (_, i) => {
    const streamId = `s-${i % streams}`;
    const env: EventEnvelope = {
      eventId: newId(),
      type: 'Counted',
      schemaVersion: 1,
      streamId,
      version: Math.floor(i / streams) + 1,
      position: i + 1,
      metadata: {
        agencyId: 'agency-bench',
        actor: { sub: 'system:bench', role: 'system' },
        correlationId: newId(),
        causationId: newId(),
        occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      },
      data: { n: i % 7 },
    };
    return { key: streamId, value: JSON.stringify(env), headers: { 'event-id': env.eventId, 'event-type': env.type } };
  });
}

/** Produces the messages (idempotent, acks -1, the Java-compatible partitioner) in batches of 500; not timed. */
export async function produceAll(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 500) await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: messages.slice(i, i + 500) }] });
  } finally {
    await producer.disconnect();
  }
}
