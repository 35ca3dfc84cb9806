/**
 * MongoEventStore.appendToStream (expected-version check + position counter + insert) versus a plain
 * insertOne of an equally sized document into another collection, same server, same concurrency; and
 * the median latency of the last tenth of the appends against the first (a cost that grew with the
 * store would show there).
 *
 *   KAFKA_BROKERS=... MONGO_URL=... node -r @swc-node/register bench/append-vs-insert.bench.ts
 *   env: BENCH_N (2000), BENCH_CONCURRENCY (8), BENCH_STREAMS (200)
 */
import { BSON, type Document } from 'mongodb';
import { newId } from '@vaops/event-sourcing';
import { MongoEventStore } from '@vaops/mongo';
import { appendOwnStream, benchDatabase, benchEnv, benchMetadata, emitResult, log, pool, printTable, round, runBench, timed } from './common';

const BENCH = 'append-vs-insert';
const WARMUP = 40;

const event = (i: number) => ({ type: 'Counted', data: { n: i, note: `bench event ${i}` } });

/** Runs n jobs through the pool; also notes when half of them had completed (to show any slowdown as the collection grows). */
async function run(n: number, concurrency: number, job: (i: number) => Promise<void>) {
  let completed = 0;
  let halfAt = 0;
  const start = process.hrtime.bigint();
  const { seconds } = await timed(() =>
    pool(n, concurrency, async (i) => {
      await job(i);
      if (++completed === Math.floor(n / 2)) halfAt = Number(process.hrtime.bigint() - start) / 1e9;
    }),
  );
  const half = Math.floor(n / 2);
  return { seconds, perSecond: n / seconds, firstHalfPerSecond: half / halfAt, secondHalfPerSecond: (n - half) / (seconds - halfAt) };
}

runBench(async () => {
  const env = benchEnv();
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
  const streams = Number(process.env.BENCH_STREAMS ?? 200);
  const { n } = env;
  const t = await benchDatabase(env, 'bench_append');
  try {
    const store = new MongoEventStore(t.db);
    await store.init();
    const inserts = await t.db.createCollection<Document>('plain_inserts'); // only the _id index

    // Warm-up (not timed): connection pool, SQLite tables, JIT.
    let retries = 0;
    await pool(WARMUP, concurrency, async (i) => {
      retries += await appendOwnStream(store, `warm-${i}`, 0, [event(i)]);
    });
    const warmRetries = retries;
    retries = 0;
    const template = await t.db.collection<Document>('events').findOne({ streamId: 'warm-0' });
    if (!template) throw new Error('warm-up commit not found');
    // The document the store writes (one commit of one event), with fresh ids: same shape, same size.
    const plainDoc = (i: number, prefix: string): Document => {
      const eventId = newId();
      const streamId = `${prefix}-${i % streams}`;
      const version = Math.floor(i / streams) + 1;
      const [e] = template.events as Document[];
      return {
        ...template,
        _id: eventId,
        streamId,
        version,
        lastVersion: version,
        events: [{ ...e, eventId, streamId, version, data: event(i).data, metadata: benchMetadata() }],
        committedAt: new Date(),
      };
    };
    await pool(WARMUP, concurrency, (i) => inserts.insertOne(plainDoc(i, 'warm')).then(() => undefined));

    // Appends: job i goes to stream i % streams at expected version floor(i / streams). Jobs of one
    // stream are chained, so every append runs at its correct expected version.
    const tail = new Map<number, Promise<unknown>>();
    let retried = 0;
    const latency: number[] = new Array(n);
    log(`${BENCH}: ${n} appends over ${streams} streams, concurrency ${concurrency}`);
    const appends = await run(n, concurrency, async (i) => {
      const s = i % streams;
      const p = (async () => {
        await tail.get(s);
        const started = performance.now();
        const r = await appendOwnStream(store, `s-${s}`, Math.floor(i / streams), [event(i)]);
        latency[i] = performance.now() - started;
        retries += r;
        if (r > 0) retried++;
      })();
      tail.set(s, p);
      await p;
    });
    const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const tenth = Math.max(1, Math.floor(n / 10));
    const firstTenthMs = medianOf(latency.slice(0, tenth));
    const lastTenthMs = medianOf(latency.slice(n - tenth));

    log(`${BENCH}: ${n} plain inserts, concurrency ${concurrency}`);
    const docs = Array.from({ length: n }, (_, i) => plainDoc(i, 'plain'));
    const plain = await run(n, concurrency, (i) => inserts.insertOne(docs[i]).then(() => undefined));

    // Check what was written, and how big it is.
    const commitCount = await t.db.collection('events').countDocuments({ streamId: { $regex: '^s-' } });
    const insertCount = await inserts.countDocuments({ streamId: { $regex: '^plain-' } });
    if (commitCount !== n || insertCount !== n) throw new Error(`wrote ${commitCount} commits and ${insertCount} inserts, expected ${n} each`);
    const sizes = async (coll: string, prefix: string) => {
      const xs: number[] = [];
      for await (const d of t.db.collection(coll).find({ streamId: { $regex: `^${prefix}-` } }).limit(100)) xs.push(BSON.calculateObjectSize(d));
      return Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
    };
    const commitDocBytes = await sizes('events', 's');
    const plainDocBytes = await sizes('plain_inserts', 'plain');

    const ratio = appends.perSecond / plain.perSecond;
    const line = (r: typeof appends, unit: string) =>
      `${round(r.seconds, 2)} s  ${round(r.perSecond)} ${unit}/s  (1st half ${round(r.firstHalfPerSecond)}/s, 2nd half ${round(r.secondHalfPerSecond)}/s)`;
    printTable(`${BENCH} (N=${n}, concurrency ${concurrency}, ${streams} streams)`, [
      ['appendToStream', line(appends, 'appends')],
      ['plain insertOne', line(plain, 'inserts')],
      ['median append latency, first / last 10 %', `${round(firstTenthMs, 2)} ms / ${round(lastTenthMs, 2)} ms (${round(lastTenthMs / firstTenthMs, 2)}x)`],
      ['spurious conflicts retried', `${retried} of ${n} appends, ${retries} retries (warm-up: ${warmRetries})`],
      ['document size (BSON)', `commit ${commitDocBytes} B, plain ${plainDocBytes} B`],
      ['ratio appends/s ÷ inserts/s', Number(ratio.toPrecision(3))],
    ]);
    emitResult({
      bench: BENCH,
      ratio: Number(ratio.toPrecision(3)),
      ratioOf: 'appends/s ÷ inserts/s',
      n,
      rates: { numerator: round(appends.perSecond), denominator: round(plain.perSecond) },
      concurrency,
      streams,
      appendSeconds: round(appends.seconds, 3),
      insertSeconds: round(plain.seconds, 3),
      appendsPerSecond: round(appends.perSecond),
      insertsPerSecond: round(plain.perSecond),
      appendsPerSecondByHalf: [round(appends.firstHalfPerSecond), round(appends.secondHalfPerSecond)],
      insertsPerSecondByHalf: [round(plain.firstHalfPerSecond), round(plain.secondHalfPerSecond)],
      appendMedianMsFirstTenth: round(firstTenthMs, 3),
      appendMedianMsLastTenth: round(lastTenthMs, 3),
      lastOverFirstTenth: round(lastTenthMs / firstTenthMs, 3),
      appendsRetried: retried,
      appendRetries: retries,
      commitDocBytes,
      plainDocBytes,
    });
  } finally {
    await t.drop();
  }
});
