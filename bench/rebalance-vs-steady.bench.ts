/**
 * Throughput of a projection while its consumer group rebalances (kafkajs ships only the eager assigner:
 * every member stops while one joins or leaves) versus the same projection alone and undisturbed.
 * One ProjectionRunner (the production path: eachBatch, checkpoints, applyVersioned) starts on N events;
 * after a third of them a second runner joins the group, after two thirds it leaves (stop, as on SIGTERM).
 *
 *   KAFKA_BROKERS=... MONGO_URL=... node -r @swc-node/register bench/rebalance-vs-steady.bench.ts
 *   env: BENCH_N (2000; at least 300), BENCH_STREAMS (200), BENCH_PARTITIONS (3)
 */
import { deadLetterTopic, type EventEnvelope } from '@vaops/contracts';
import { provisionEventTopics } from '@vaops/kafka';
import { ProjectionRunner, applyVersioned, isRecordingPass, type ProjectionDefinition } from '@vaops/projections';
import { benchDatabase, benchEnv, countedEnvelopes, produceAll, benchKafka, cleanupKafka, emitResult, log, printTable, round, runBench, uniqueName, waitFor } from './common';

const BENCH = 'rebalance-vs-steady';

runBench(async () => {
  const env = benchEnv();
  const n = Math.max(300, env.n);
  const streams = Number(process.env.BENCH_STREAMS ?? 200);
  const partitions = Number(process.env.BENCH_PARTITIONS ?? 3);
  const kafka = benchKafka(env, 'vaops-bench-rebalance');
  const topic = uniqueName('bench-rebalance');
  const group = uniqueName('bench-rebalance-g');
  const t = await benchDatabase(env, 'bench_rebalance');
  // every handler call, with its time: re-deliveries after a rebalance show up as calls beyond N
  const applied: number[] = [];
  const seen = new Set<string>();
  const definition: ProjectionDefinition = {
    name: uniqueName('bench.rebalance'),
    topics: [topic],
    collections: { totals: {} },
    handlers: {
      Counted: async (e: EventEnvelope, store) => {
        await applyVersioned(store.collection('totals'), e.streamId, e.version, { $inc: { total: (e.data as { n: number }).n } });
        if (isRecordingPass(store)) return; // applyBatch's first pass only learns which documents it needs
        applied.push(performance.now());
        seen.add(e.eventId);
      },
    },
  };
  const runners: ProjectionRunner[] = [];
  try {
    await provisionEventTopics(kafka, [{ topic, partitions }]);
    log(`${BENCH}: producing ${n} envelopes over ${streams} streams to ${partitions} partitions (not timed)`);
    await produceAll(kafka, topic, countedEnvelopes(n, streams));

    const a = new ProjectionRunner({ kafka, db: t.db, definition, groupId: group });
    const b = new ProjectionRunner({ kafka, db: t.db, definition, groupId: group });
    runners.push(a, b);
    log(`${BENCH}: runner A alone`);
    await a.start();
    const third = Math.floor(n / 3);
    await waitFor(async () => seen.size >= third, 'runner A to apply a third', 300_000);
    const joinAt = performance.now();
    const atJoin = seen.size;
    log(`${BENCH}: runner B joins at ${atJoin} applied`);
    await b.start();
    await waitFor(async () => seen.size >= 2 * third, 'two thirds applied', 300_000);
    log(`${BENCH}: runner B leaves at ${seen.size} applied`);
    await b.stop();
    await waitFor(async () => [...(await a.positions()).values()].reduce((x, y) => x + y, 0n) === BigInt(n) && seen.size === n, 'every event applied and checkpointed', 300_000);
    const endAt = applied[applied.length - 1];

    // steady: A alone, from its 50th event (warmed up) to the join; disturbed: from the join to the last event
    const warm = Math.min(50, Math.floor(atJoin / 2));
    const steadyRate = (atJoin - warm) / ((applied[atJoin - 1] - applied[warm - 1]) / 1000);
    const disturbedRate = (n - atJoin) / ((endAt - joinAt) / 1000);
    let longestPause = 0;
    for (let i = 1; i < applied.length; i++) if (applied[i] >= joinAt) longestPause = Math.max(longestPause, applied[i] - applied[i - 1]);
    const redelivered = applied.length - n;
    const ratio = disturbedRate / steadyRate;
    printTable(`${BENCH} (N=${n}, ${partitions} partitions)`, [
      ['A alone (steady)', `${round(steadyRate)} events/s`],
      ['B joins, then leaves', `${round(disturbedRate)} events/s over ${round((endAt - joinAt) / 1000, 2)} s`],
      ['longest pause after the join', `${round(longestPause / 1000, 2)} s`],
      ['re-delivered (applied again, no effect)', redelivered],
      ['ratio disturbed/s ÷ steady/s', Number(ratio.toPrecision(3))],
    ]);
    emitResult({
      bench: BENCH,
      ratio: Number(ratio.toPrecision(3)),
      ratioOf: 'events/s while a member joins and leaves ÷ events/s of one undisturbed member',
      n,
      rates: { numerator: round(disturbedRate), denominator: round(steadyRate) },
      partitions,
      longestPauseSeconds: round(longestPause / 1000, 2),
      redelivered,
      disturbedSeconds: round((endAt - joinAt) / 1000, 2),
    });
  } finally {
    for (const r of runners) await r.stop().catch(() => undefined);
    await t.drop();
    await cleanupKafka(kafka, [topic, deadLetterTopic(topic)], [group]);
  }
});
