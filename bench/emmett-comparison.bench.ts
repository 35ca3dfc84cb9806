/**
 * vaops' event store beside Emmett's MongoDB event store (@event-driven-io/emmett-mongodb, installed
 * apart in bench/emmett by bench/run.mjs), same server, same workload: N single-event appends over S
 * streams at concurrency 8, each at its expected version (a stream's appends one after another), then
 * reading and folding every stream, several passes.
 *
 * vaops reads and folds two ways: as a read loads its aggregate (AggregateStore: the fold this process
 * keeps, checked against the store by one indexed query for later events) and from scratch (readStream
 * of the whole stream and a fold, what Emmett's aggregateStream does). A command does not read at all
 * when its process holds the fold (it appends at that version; a conflict means another process wrote,
 * and it decides again). Emmett keeps one document per stream and rewrites it on every append; vaops
 * inserts one document per commit: the long-stream phase shows what that costs each as a stream grows.
 *
 *   KAFKA_BROKERS=... MONGO_URL=... node -r @swc-node/register bench/emmett-comparison.bench.ts
 *   env: BENCH_N (600), BENCH_STREAMS (100), BENCH_CONCURRENCY (8), BENCH_PASSES (10)
 */
import * as path from 'node:path';
import { AggregateStore, fold, type Decider } from '@vaops/event-sourcing';
import { MongoEventStore } from '@vaops/mongo';
import { benchDatabase, benchEnv, benchMetadata, emitResult, log, pool, printTable, round, runBench, timed } from './common';

const BENCH = 'emmett-comparison';

type Added = { type: 'Added'; data: { n: number; note: string } };
type Total = { total: number; count: number };
const evolve = (s: Total, e: Added): Total => ({ total: s.total + e.data.n, count: s.count + 1 });
const initialState = (): Total => ({ total: 0, count: 0 });
const decider: Decider<{ n: number }, Added, Total> = { initialState, evolve, decide: (c) => [{ type: 'Added', data: { n: c.n, note: `event ${c.n}` } }] };

interface EmmettStore {
  appendToStream(stream: string, events: { type: string; data: unknown }[], options?: { expectedStreamVersion?: bigint }): Promise<{ nextExpectedStreamVersion: bigint }>;
  aggregateStream<S, E>(stream: string, options: { evolve: (s: S, e: E) => S; initialState: () => S }): Promise<{ state: S; currentStreamVersion: bigint }>;
  close?(): Promise<void>;
}

runBench(async () => {
  const env = benchEnv();
  const n = Number(process.env.BENCH_N ?? 600);
  const streams = Number(process.env.BENCH_STREAMS ?? 100);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
  const passes = Number(process.env.BENCH_PASSES ?? 10);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const emmett = require(path.join(__dirname, 'emmett', 'node_modules', '@event-driven-io', 'emmett-mongodb')) as {
    getMongoDBEventStore(o: { connectionString: string }): EmmettStore;
    toStreamName(type: string, id: string): string;
  };
  const ours = await benchDatabase(env, 'bench_vs_vaops');
  const theirs = await benchDatabase(env, 'bench_vs_emmett');
  const emmettStore = emmett.getMongoDBEventStore({ connectionString: `${env.mongoUrl.replace(/\/$/, '')}/${theirs.name}` });
  try {
    const store = new MongoEventStore(ours.db);
    await store.init();
    const streamOf = (i: number) => i % streams;
    const versionOf = (i: number) => Math.floor(i / streams);

    /** The appends, a stream's one after another, `concurrency` in flight. */
    const appendAll = async (append: (stream: number, expected: number, i: number) => Promise<void>) => {
      const tail = new Map<number, Promise<unknown>>();
      return timed(() =>
        pool(n, concurrency, async (i) => {
          const s = streamOf(i);
          const p = (async () => {
            await tail.get(s);
            await append(s, versionOf(i), i);
          })();
          tail.set(s, p);
          await p;
        }),
      );
    };

    log(`${BENCH}: vaops, ${n} appends over ${streams} streams`);
    const vaopsAppend = await appendAll(async (s, expected, i) => {
      await store.appendToStream(`total-${s}`, expected, decider.decide({ n: i }, initialState()), benchMetadata());
    });
    log(`${BENCH}: Emmett, ${n} appends over ${streams} streams`);
    const emmettAppend = await appendAll(async (s, expected, i) => {
      await emmettStore.appendToStream(emmett.toStreamName('total', String(s)), [{ type: 'Added', data: { n: i, note: `event ${i}` } }], { expectedStreamVersion: BigInt(expected) });
    });

    const readAll = async (read: (s: number) => Promise<Total>) =>
      timed(async () => {
        let sum = 0;
        for (let p = 0; p < passes; p++) {
          await pool(streams, concurrency, async (s) => {
            const { total } = await read(s);
            sum += total;
          });
        }
        return sum;
      });
    const expected = passes * ((n * (n - 1)) / 2);
    log(`${BENCH}: reading and folding ${streams} streams, ${passes} passes each way`);
    const aggregates = new AggregateStore(store);
    const vaopsLoad = await readAll(async (s) => (await aggregates.load(decider, `total-${s}`)).state);
    const vaopsScratch = await readAll(async (s) => fold(decider, (await store.readStream<Added>(`total-${s}`)).events));
    const emmettRead = await readAll(async (s) => (await emmettStore.aggregateStream<Total, Added>(emmett.toStreamName('total', String(s)), { evolve, initialState })).state);
    for (const [who, r] of [['vaops load', vaopsLoad], ['vaops from scratch', vaopsScratch], ['Emmett', emmettRead]] as const) {
      if (r.value !== expected) throw new Error(`${who} folded ${r.value}, expected ${expected}`);
    }

    // One long stream, appended one at a time: Emmett rewrites the stream's document on every append,
    // vaops inserts a document per commit. Median latency of the first and the last tenth.
    const longN = Number(process.env.BENCH_LONG ?? 1000);
    const longRun = async (append: (expected: number) => Promise<void>) => {
      const ms: number[] = [];
      for (let v = 0; v < longN; v++) {
        const t0 = performance.now();
        await append(v);
        ms.push(performance.now() - t0);
      }
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const tenth = Math.max(1, Math.floor(longN / 10));
      return { first: med(ms.slice(0, tenth)), last: med(ms.slice(-tenth)) };
    };
    log(`${BENCH}: one stream of ${longN} appends, each way`);
    const vaopsLong = await longRun((v) => store.appendToStream('long-1', v, decider.decide({ n: v }, initialState()), benchMetadata()).then(() => undefined));
    const emmettLong = await longRun((v) => emmettStore.appendToStream(emmett.toStreamName('long', '1'), [{ type: 'Added', data: { n: v, note: `event ${v}` } }], { expectedStreamVersion: BigInt(v) }).then(() => undefined));

    const longReads = 50;
    const longAggregates = new AggregateStore(store);
    const vaopsLongRead = await timed(async () => {
      for (let i = 0; i < longReads; i++) await longAggregates.load(decider, 'long-1');
    });
    const emmettLongRead = await timed(async () => {
      for (let i = 0; i < longReads; i++) await emmettStore.aggregateStream<Total, Added>(emmett.toStreamName('long', '1'), { evolve, initialState });
    });

    const rate = (count: number, seconds: number) => count / seconds;
    const appendRatio = rate(n, vaopsAppend.seconds) / rate(n, emmettAppend.seconds);
    const loadRatio = emmettRead.seconds / vaopsLoad.seconds;
    const scratchRatio = emmettRead.seconds / vaopsScratch.seconds;
    const reads = streams * passes;
    printTable(`${BENCH} (${n} appends over ${streams} streams at concurrency ${concurrency}; ${passes} passes of reads)`, [
      ['vaops appends', `${round(rate(n, vaopsAppend.seconds))}/s`],
      ['Emmett appends', `${round(rate(n, emmettAppend.seconds))}/s`],
      ['vaops read-and-fold, as reads load (AggregateStore: its fold + a check)', `${round(rate(reads, vaopsLoad.seconds))}/s (commands do not read: they append on the fold and retry on a conflict)`],
      ['vaops read-and-fold from scratch (readStream + fold)', `${round(rate(reads, vaopsScratch.seconds))}/s`],
      ['Emmett read-and-fold (aggregateStream)', `${round(rate(reads, emmettRead.seconds))}/s`],
      [`one stream of ${longN}: median append, first / last tenth`, `vaops ${round(vaopsLong.first, 2)} / ${round(vaopsLong.last, 2)} ms; Emmett ${round(emmettLong.first, 2)} / ${round(emmettLong.last, 2)} ms`],
      [`one stream of ${longN}: read-and-fold ${longReads} times`, `vaops ${round(rate(longReads, vaopsLongRead.seconds))}/s (as reads load), Emmett ${round(rate(longReads, emmettLongRead.seconds))}/s`],
      ['appends vaops ÷ Emmett', Number(appendRatio.toPrecision(3))],
      ['read-and-fold vaops (load) ÷ Emmett', Number(loadRatio.toPrecision(3))],
      ['read-and-fold vaops (from scratch) ÷ Emmett', Number(scratchRatio.toPrecision(3))],
    ]);
    emitResult({
      bench: BENCH,
      ratio: Number(Math.min(appendRatio, loadRatio).toPrecision(3)),
      ratioOf: 'the smaller of appends/s and read-and-fold/s (as reads load), vaops ÷ Emmett, on the short streams (>= 1.5 asked)',
      n,
      // the rates behind the smaller ratio
      rates:
        appendRatio <= loadRatio
          ? { numerator: round(rate(n, vaopsAppend.seconds)), denominator: round(rate(n, emmettAppend.seconds)) }
          : { numerator: round(rate(reads, vaopsLoad.seconds)), denominator: round(rate(reads, emmettRead.seconds)) },
      streams,
      concurrency,
      passes,
      appendsPerSecond: { vaops: round(rate(n, vaopsAppend.seconds)), emmett: round(rate(n, emmettAppend.seconds)) },
      readAndFoldPerSecond: { vaopsLoad: round(rate(reads, vaopsLoad.seconds)), vaopsFromScratch: round(rate(reads, vaopsScratch.seconds)), emmett: round(rate(reads, emmettRead.seconds)) },
      longStream: {
        appends: longN,
        vaopsMs: { first: round(vaopsLong.first, 2), last: round(vaopsLong.last, 2) },
        emmettMs: { first: round(emmettLong.first, 2), last: round(emmettLong.last, 2) },
        readAndFoldPerSecond: { vaopsLoad: round(rate(longReads, vaopsLongRead.seconds)), emmett: round(rate(longReads, emmettLongRead.seconds)) },
      },
      appendRatio: Number(appendRatio.toPrecision(3)),
      readAndFoldRatio: Number(loadRatio.toPrecision(3)),
      readAndFoldFromScratchRatio: Number(scratchRatio.toPrecision(3)),
    });
  } finally {
    await emmettStore.close?.();
    await ours.drop();
    await theirs.drop();
  }
});
