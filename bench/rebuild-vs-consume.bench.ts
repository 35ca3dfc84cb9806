/**
 * rebuildProjection of a simple projection (a `totals` read model updated with applyVersioned per event)
 * versus a no-op kafkajs consumer reading the same topic from the beginning, in alternating rounds.
 *
 *   KAFKA_BROKERS=... MONGO_URL=... node -r @swc-node/register bench/rebuild-vs-consume.bench.ts
 *   env: BENCH_N (2000), BENCH_STREAMS (200), BENCH_PARTITIONS (3)
 */
import type { Kafka } from 'kafkajs';
import { deadLetterTopic, decodeEvent, type EventEnvelope } from '@vaops/contracts';
import { provisionEventTopics } from '@vaops/kafka';
import { ProjectionRunner, applyVersioned, rebuildProjection, type ProjectionDefinition } from '@vaops/projections';
import { benchDatabase, benchEnv, countedEnvelopes, produceAll, benchKafka, cleanupKafka, emitResult, log, printTable, round, runBench, timed, uniqueName, waitFor } from './common';

const BENCH = 'rebuild-vs-consume';

function totals(name: string, topic: string): ProjectionDefinition {
  return {
    name,
    topics: [topic],
    collections: { totals: { indexes: [{ key: { total: 1 } }] } },
    handlers: {
      Counted: async (e: EventEnvelope, store) => {
        await applyVersioned(store.collection('totals'), e.streamId, e.version, {
          $inc: { total: (e.data as { n: number }).n, count: 1 },
          $set: { lastAt: e.metadata.occurredAt },
        });
      },
    },
  };
}

/**
 * Reads the whole topic with a fresh group and does nothing with the messages (or only `each`, for the
 * floor line); resolves when every partition's high watermark is reached.
 */
async function noopConsume(kafka: Kafka, topic: string, groupId: string, highs: Map<number, bigint>, each?: (value: Buffer | null) => void): Promise<number> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, sessionTimeout: 30_000 });
  let count = 0;
  const reached = new Map<number, bigint>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no-op consumer timed out at ${count} messages`)), 120_000);
      const check = () => {
        if ([...highs].every(([p, high]) => (reached.get(p) ?? 0n) >= high)) {
          clearTimeout(timer);
          resolve();
        }
      };
      check();
      consumer
        .run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
            for (const m of batch.messages) {
              each?.(m.value);
              count++;
              reached.set(batch.partition, BigInt(m.offset) + 1n);
              resolveOffset(m.offset);
            }
            await heartbeat();
            check();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return count;
}

runBench(async () => {
  const env = benchEnv();
  const { n } = env;
  const streams = Number(process.env.BENCH_STREAMS ?? 200);
  const partitions = Number(process.env.BENCH_PARTITIONS ?? 3);
  const kafka = benchKafka(env, 'vaops-bench-rebuild');
  const topic = uniqueName('bench-rebuild');
  const projection = uniqueName('bench.totals');
  const liveGroup = uniqueName('bench-live');
  const noopGroup = uniqueName('bench-noop');
  const t = await benchDatabase(env, 'bench_rebuild');
  try {
    await provisionEventTopics(kafka, [{ topic, partitions }]);

    log(`${BENCH}: producing ${n} envelopes over ${streams} streams to ${partitions} partitions (not timed)`);
    await produceAll(kafka, topic, countedEnvelopes(n, streams));
    const admin = kafka.admin();
    await admin.connect();
    const highs = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
    await admin.disconnect();
    const onTopic = [...highs.values()].reduce((a, b) => a + b, 0n);
    if (onTopic !== BigInt(n)) throw new Error(`topic holds ${onTopic} messages, expected ${n}`);

    // The live projection the rebuild compares itself with (not part of the ratio).
    log(`${BENCH}: live ProjectionRunner catching up (not part of the ratio)`);
    const definition = totals(projection, topic);
    const runner = new ProjectionRunner({ kafka, db: t.db, definition, groupId: liveGroup });
    const live = await timed(async () => {
      await runner.start();
      await waitFor(async () => [...(await runner.positions()).values()].reduce((a, b) => a + b, 0n) === BigInt(n), 'the live projection to catch up', 180_000);
    });
    await runner.stop();

    // Rounds of one pass each, side by side, until every side has run for 2 s at least: this machine's
    // speed drifts by a third within a minute, and a side measured a few seconds after the other would
    // carry that drift into the ratio. In a round:
    // - the no-op consumer reads the whole topic with a fresh group and does nothing with it;
    // - the floor of any rebuild (not in the ratio): the same reading, plus parsing and checking each
    //   event against its contract, which a rebuild cannot skip (the DLQ takes what fails them);
    // - a whole rebuild: replay into the shadow, comparison with the live read model, swap.
    log(`${BENCH}: rounds of no-op consumer, decoding consumer and rebuildProjection (until each has run 2 s)`);
    const noop = { value: 0, seconds: 0, passes: 0 };
    const decoding = { value: 0, seconds: 0, passes: 0 };
    const tally = (side: typeof noop, what: string, pass: { value: number; seconds: number }) => {
      if (pass.value !== n) throw new Error(`${what} read ${pass.value} messages, expected ${n}`);
      side.value += pass.value;
      side.seconds += pass.seconds;
      side.passes++;
    };
    const rebuilt = { seconds: 0, passes: 0, each: [] as number[] };
    let r: Awaited<ReturnType<typeof rebuildProjection>> | undefined;
    while (noop.seconds < 2 || decoding.seconds < 2 || rebuilt.seconds < 2) {
      const round = noop.passes;
      tally(noop, 'no-op consumer', await timed(() => noopConsume(kafka, topic, `${noopGroup}-${round}`, highs)));
      tally(decoding, 'decoding consumer', await timed(() => noopConsume(kafka, topic, `${noopGroup}-decode-${round}`, highs, (v) => void decodeEvent(JSON.parse(v?.toString('utf8') ?? '')))));

      const rebuild = await timed(() => rebuildProjection({ db: t.db, kafka, definition }));
      r = rebuild.value;
      if (r.events !== n || r.failed !== 0 || !r.equal) throw new Error(`rebuild processed ${r.events} events with ${r.failed} failures (equal: ${r.equal}), expected ${n}, 0 and equal`);
      rebuilt.seconds += rebuild.seconds;
      rebuilt.each.push(rebuild.seconds);
      rebuilt.passes++;
    }
    if (!r) throw new Error('no rebuild ran');
    const docs = await t.db.collection('totals').countDocuments();

    const noopPerSecond = noop.value / noop.seconds;
    const rebuildPerSecond = (n * rebuilt.passes) / rebuilt.seconds;
    const ratio = rebuildPerSecond / noopPerSecond;
    const decodingPerSecond = decoding.value / decoding.seconds;
    printTable(`${BENCH} (N=${n}, ${streams} streams, ${partitions} partitions)`, [
      ['no-op consumer (eachBatch)', `${noop.passes} pass(es) of the topic, ${round(noop.seconds, 2)} s  ${round(noopPerSecond)} events/s`],
      ['consumer that parses and decodes', `${decoding.passes} pass(es), ${round(decoding.seconds, 2)} s  ${round(decodingPerSecond)} events/s (÷ no-op ${round(decodingPerSecond / noopPerSecond, 3)}: the most a rebuild can reach)`],
      ['rebuildProjection (wall)', `${rebuilt.passes} pass(es), ${round(rebuilt.seconds, 2)} s  ${round(rebuildPerSecond)} events/s (each pass ${rebuilt.each.map((x) => round(x, 3)).join(', ')} s)`],
      ['  its own eventsPerSecond (last pass)', `${round(r.eventsPerSecond)} (over ${round(r.seconds, 2)} s, before the swap)`],
      ['  equal / swapped', `${r.equal} / ${r.swapped}  (${docs} totals documents)`],
      ['live ProjectionRunner catch-up', `${round(live.seconds, 2)} s  ${round(n / live.seconds)} events/s (not in the ratio)`],
      ['ratio rebuild/s ÷ no-op consume/s', Number(ratio.toPrecision(3))],
    ]);
    emitResult({
      bench: BENCH,
      ratio: Number(ratio.toPrecision(3)),
      ratioOf: 'rebuild events/s ÷ no-op consume events/s',
      n,
      rates: { numerator: round(rebuildPerSecond), denominator: round(noopPerSecond) },
      streams,
      partitions,
      noopSeconds: round(noop.seconds, 3),
      noopPasses: noop.passes,
      decodingEventsPerSecond: round(decodingPerSecond),
      decodingOverNoop: round(decodingPerSecond / noopPerSecond, 3),
      rebuildSeconds: round(rebuilt.seconds, 3),
      rebuildPasses: rebuilt.passes,
      rebuildPassSeconds: rebuilt.each.map((x) => round(x, 3)),
      noopEventsPerSecond: round(noopPerSecond),
      rebuildEventsPerSecond: round(rebuildPerSecond),
      rebuildOwnEventsPerSecond: round(r.eventsPerSecond),
      rebuildOwnSeconds: round(r.seconds, 3),
      equal: r.equal,
      swapped: r.swapped,
      liveCatchUpSeconds: round(live.seconds, 3),
      liveEventsPerSecond: round(n / live.seconds),
      totalsDocuments: docs,
    });
  } finally {
    await t.drop();
    await cleanupKafka(kafka, [topic, deadLetterTopic(topic)], [liveGroup, noopGroup, projection]); // noopGroup: a prefix of each pass's group
  }
});
