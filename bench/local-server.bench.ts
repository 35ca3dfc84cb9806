/**
 * The MongoDB-compatible server's cost per access pattern as its collection grows: the medians of the
 * patterns the event store, the relay and the projections use, measured at several sizes of one
 * collection. The ratio is the median of those patterns at the smallest size divided by the median at
 * the largest: 1 when nothing grows with the data stored.
 *
 *   KAFKA_BROKERS=... MONGO_URL=... node -r @swc-node/register bench/local-server.bench.ts
 *   env: BENCH_SIZES (1000,20000,100000), BENCH_STREAMS (500)
 */
import type { Document } from 'mongodb';
import { benchDatabase, benchEnv, emitResult, log, printTable, round, runBench } from './common';

const BENCH = 'local-server';

interface Row {
  size: number;
  pattern: string;
  medianMs: number;
  returned: number;
}

runBench(async () => {
  const env = benchEnv();
  const sizes = (process.env.BENCH_SIZES ?? '1000,20000,100000').split(',').map(Number);
  const streams = Number(process.env.BENCH_STREAMS ?? 500);
  const t = await benchDatabase(env, 'bench_local_server');
  try {
    const coll = t.db.collection<Document & { _id: string }>('commits');
    await coll.createIndex({ streamId: 1, version: 1 }, { unique: true });
    await coll.createIndex({ position: 1 }, { unique: true });
    const rows: Row[] = [];
    let n = 0;
    const note = 'x'.repeat(200);
    for (const size of sizes) {
      log(`${BENCH}: filling to ${size} documents`);
      while (n < size) {
        const batch: (Document & { _id: string })[] = [];
        for (; batch.length < 1000 && n < size; n++) {
          batch.push({ _id: `c${n}`, streamId: `s${n % streams}`, version: Math.floor(n / streams) + 1, position: n + 1, events: [{ type: 'Counted', data: { n, note } }] });
        }
        await coll.insertMany(batch, { ordered: false });
      }
      const stream = `s${(size * 7) % streams}`;
      const head = Math.floor((size - 1) / streams) + 1;
      const patterns: [string, () => Promise<number>][] = [
        ['point read by _id', async () => ((await coll.findOne({ _id: `c${size - 3}` })) ? 1 : 0)],
        ['stream head probe (streamId, version > head - 1)', async () => (await coll.find({ streamId: stream, version: { $gt: head - 1 } }).toArray()).length],
        ['relay window: the last 100 positions', async () => (await coll.find({ position: { $gt: size - 100, $lte: size } }).toArray()).length],
        ['relay holes: 10 positions by $in', async () => (await coll.find({ position: { $in: Array.from({ length: 10 }, (_, i) => size - i * 7) } }).toArray()).length],
        ['update by _id ($inc)', async () => (await coll.updateOne({ _id: `c${size - 2}` }, { $inc: { k: 1 } })).matchedCount],
        ['insert', async () => ((await coll.insertOne({ _id: `x${size}-${Math.random()}`, streamId: 'probe', version: Math.random() })).acknowledged ? 1 : 0)],
        ['bulk update of 100 by _id', async () => (await coll.bulkWrite(Array.from({ length: 100 }, (_, i) => ({ updateOne: { filter: { _id: `c${size - 1 - i}` }, update: { $set: { touched: size } } } })), { ordered: false })).matchedCount],
      ];
      for (const [pattern, op] of patterns) {
        const times: number[] = [];
        let returned = 0;
        for (let i = 0; i < 9; i++) {
          const start = process.hrtime.bigint();
          returned = await op();
          times.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        times.sort((a, b) => a - b);
        rows.push({ size, pattern, medianMs: times[4], returned });
      }
    }
    const smallest = sizes[0];
    const largest = sizes[sizes.length - 1];
    const total = (size: number) => rows.filter((r) => r.size === size).reduce((a, r) => a + r.medianMs, 0);
    const ratio = total(smallest) / total(largest);
    printTable(`${BENCH}: median ms per access pattern by collection size (${streams} streams)`, [
      ...rows.map((r): [string, string] => [`${String(r.size).padStart(7)}  ${r.pattern}`, `${round(r.medianMs, 2)} ms (${r.returned} returned)`]),
      [`ratio sum of medians at ${smallest} ÷ at ${largest}`, Number(ratio.toPrecision(3))],
    ]);
    emitResult({
      bench: BENCH,
      ratio: Number(ratio.toPrecision(3)),
      ratioOf: `rounds of all patterns/s at ${largest} docs ÷ at ${smallest} docs`,
      n: largest,
      rates: { numerator: round(1000 / total(largest)), denominator: round(1000 / total(smallest)) },
      rows,
    });
  } finally {
    await t.drop();
  }
});
