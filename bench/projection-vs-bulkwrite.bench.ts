/**
 * A projection applying batches of events (applyBatch: the recording pass, one `_id $in` read per
 * collection, the handlers in memory, one conditional unordered bulk write, then the batch's checkpoint)
 * versus a native unordered `bulkWrite` of the same resulting documents (`replaceOne` upserts by `_id`),
 * batch for batch, same server. The documents are those applyBatch wrote, captured on the way. The
 * projection is a handler class served the way services serve theirs (ProjectionTransport).
 *
 *   KAFKA_BROKERS=... MONGO_URL=... node -r @swc-node/register bench/projection-vs-bulkwrite.bench.ts
 *   env: BENCH_N (2000), BENCH_STREAMS (BENCH_N / 10), BENCH_BATCH (1000, the consumer's chunk)
 */
import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { Controller } from '@nestjs/common';
import { decodeEvent, type EventEnvelope, type PublicEventType } from '@vaops/contracts';
import { ProjectionHandler, projectionsOf, type ProjectionSpec } from '@vaops/platform';
import { CheckpointStore, applyBatch, applyVersioned, liveStore, type ReadModelStore } from '@vaops/projections';
import { benchDatabase, benchEnv, countedEnvelopes, emitResult, log, printTable, round, runBench, timed } from './common';

const BENCH = 'projection-vs-bulkwrite';

const TOTALS: ProjectionSpec = { name: 'bench.totals', topics: ['bench'], collections: { totals: {} } };

/** The projection as services declare theirs: a handler class, built into a definition by ProjectionTransport. */
@Controller()
class TotalsProjection {
  // 'Counted' is the benchmark's own event type, not a public one: the decorator is typed for those
  @(ProjectionHandler(TOTALS, 'Counted' as PublicEventType) as MethodDecorator)
  async counted(e: EventEnvelope, store: ReadModelStore): Promise<void> {
    await applyVersioned(store.collection('totals'), e.streamId, e.version, {
      $inc: { total: (e.data as { n: number }).n, count: 1 },
      $set: { lastAt: e.metadata.occurredAt },
    });
  }
}

runBench(async () => {
  const env = benchEnv();
  const [totals] = await projectionsOf([TotalsProjection]);
  const { n } = env;
  const streams = Number(process.env.BENCH_STREAMS ?? Math.max(1, Math.floor(n / 10)));
  const size = Number(process.env.BENCH_BATCH ?? 1000);
  const events = countedEnvelopes(n, streams).map((m) => decodeEvent(JSON.parse(m.value as string)));
  const batches: EventEnvelope[][] = [];
  for (let i = 0; i < events.length; i += size) batches.push(events.slice(i, i + size));

  const a = await benchDatabase(env, 'bench_proj');
  const b = await benchDatabase(env, 'bench_bulk');
  try {
    // warm-up of both databases' collections (not timed)
    await a.db.collection('totals').insertOne({ _id: 'warm' as never });
    await b.db.collection('totals').insertOne({ _id: 'warm' as never });

    // applyBatch, with the documents of each of its bulk writes captured for the other side
    const written: Document[][] = [];
    const live = liveStore(a.db);
    const capturing: ReadModelStore = {
      collection: <T extends Document>(name: string) => {
        const coll = live.collection<T>(name);
        return new Proxy(coll, {
          get: (target, prop) =>
            prop === 'bulkWrite'
              ? (ops: AnyBulkWriteOperation<T>[], options?: object) => {
                  written.push(ops.map((op) => ('insertOne' in op ? op.insertOne.document : 'replaceOne' in op ? op.replaceOne.replacement : {}) as Document));
                  return target.bulkWrite(ops, options);
                }
              : Reflect.get(target, prop),
        });
      },
    };
    const checkpoints = new CheckpointStore(a.db);
    log(`${BENCH}: applyBatch of ${n} events over ${streams} streams in ${batches.length} batches`);
    let offset = 0n;
    const applied = await timed(async () => {
      for (const batch of batches) {
        await applyBatch(totals, batch, capturing);
        offset += BigInt(batch.length);
        await checkpoints.save(totals.name, 'bench', 0, offset);
      }
    });

    log(`${BENCH}: native bulkWrite of the same ${written.reduce((k, w) => k + w.length, 0)} documents in ${written.length} commands`);
    const coll = b.db.collection<Document>('totals');
    const bulk = await timed(async () => {
      for (const docs of written) {
        await coll.bulkWrite(
          docs.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })),
          { ordered: false },
        );
      }
    });

    // the two sides hold the same documents
    const [x, y] = await Promise.all([a.db.collection('totals').find({}).sort({ _id: 1 }).toArray(), coll.find({}).sort({ _id: 1 }).toArray()]);
    if (JSON.stringify(x) !== JSON.stringify(y)) throw new Error('the two sides differ');
    if (x.length !== streams + 1) throw new Error(`${x.length} documents, expected ${streams + 1}`);

    const documents = written.reduce((k, w) => k + w.length, 0);
    const ratio = bulk.seconds / applied.seconds;
    printTable(`${BENCH} (N=${n} events, ${streams} streams, batches of ${size})`, [
      ['applyBatch + checkpoint', `${round(applied.seconds, 2)} s  ${round(n / applied.seconds)} events/s, ${round(documents / applied.seconds)} documents/s`],
      ['native bulkWrite of the same documents', `${round(bulk.seconds, 2)} s  ${round(documents / bulk.seconds)} documents/s`],
      ['ratio (documents/s through applyBatch ÷ through bulkWrite)', Number(ratio.toPrecision(3))],
    ]);
    emitResult({
      bench: BENCH,
      ratio: Number(ratio.toPrecision(3)),
      ratioOf: 'documents/s written by applyBatch (events applied, checkpoint saved) ÷ documents/s of a native bulkWrite of them',
      n,
      rates: { numerator: round(documents / applied.seconds), denominator: round(documents / bulk.seconds) },
      streams,
      batchSize: size,
      batches: batches.length,
      documents,
      applySeconds: round(applied.seconds, 3),
      bulkSeconds: round(bulk.seconds, 3),
      eventsPerSecond: round(n / applied.seconds),
    });
  } finally {
    await a.drop();
    await b.drop();
  }
});
