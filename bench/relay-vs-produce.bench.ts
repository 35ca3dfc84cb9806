/**
 * OutboxRelay (MongoEventStore outbox -> KafkaEventPublisher) draining N stored events versus a raw
 * kafkajs idempotent producer sending the same N messages (same keys, values and headers, acks -1, the
 * same batch size) to another topic with the same partition count. The relay runs in the process that
 * appended the events, as a service's relay does (it is handed them without reading them back); the
 * same drain by the relay of another process, which reads every commit from the store, is reported
 * beside the ratio.
 *
 *   KAFKA_BROKERS=... MONGO_URL=... node -r @swc-node/register bench/relay-vs-produce.bench.ts
 *   env: BENCH_N (2000), BENCH_PARTITIONS (3), BENCH_BATCH (500, the relay's default),
 *        BENCH_BATCH_TIMEOUT_MS (60000: a batch that takes longer fails the run instead of hanging it)
 */
import { Partitioners, type Kafka, type Message } from 'kafkajs';
import { OutboxRelay, toMessage, type StoredEvent } from '@vaops/event-sourcing';
import { KafkaEventPublisher, provisionEventTopics } from '@vaops/kafka';
import { MongoEventStore } from '@vaops/mongo';
import { deadLetterTopic } from '@vaops/contracts';
import { appendOwnStream, benchDatabase, benchEnv, benchKafka, cleanupKafka, emitResult, log, pool, printTable, round, runBench, timed, uniqueName } from './common';

const BENCH = 'relay-vs-produce';

async function topicSize(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Rejects when `work` has not settled after `ms` (the work itself cannot be cancelled). */
function watchdog<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A proxy of `target` that adds the wall time of the named methods to `parts`. */
function timeMethods<T extends object, P extends string>(target: T, parts: Record<P, number>, methods: Partial<Record<keyof T, P>>): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value: unknown = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      const part = methods[prop as keyof T];
      if (!part) return value.bind(obj);
      return async (...args: unknown[]) => {
        if (process.env.BENCH_VERBOSE) log(`${String(prop)} ...`);
        const r = await timed(() => Promise.resolve(value.apply(obj, args)));
        parts[part] += r.seconds;
        if (process.env.BENCH_VERBOSE) log(`${String(prop)} took ${round(r.seconds, 3)} s`);
        return r.value;
      };
    },
  });
}

runBench(async () => {
  const env = benchEnv();
  const { n } = env;
  const partitions = Number(process.env.BENCH_PARTITIONS ?? 3);
  const BATCH = Number(process.env.BENCH_BATCH ?? 500);
  const batchTimeoutMs = Number(process.env.BENCH_BATCH_TIMEOUT_MS ?? 60_000);
  const kafka = benchKafka(env, 'vaops-bench-relay');
  const relayTopic = uniqueName('bench-relay');
  const rawTopic = uniqueName('bench-raw');
  const t = await benchDatabase(env, 'bench_relay');
  try {
    await provisionEventTopics(kafka, [{ topic: relayTopic, partitions }, { topic: rawTopic, partitions }]);
    const store = new MongoEventStore(t.db);
    await store.init();

    // Not timed: N stored, unpublished events (the relay does not care how they spread over streams).
    log(`${BENCH}: appending ${n} events (not timed)`);
    let retries = 0;
    await pool(n, 8, async (i) => {
      retries += await appendOwnStream(store, `s-${i}`, 0, [{ type: 'Counted', data: { n: i, note: `bench event ${i}` } }]);
    });
    const stored: StoredEvent[] = await store.readAll(0, n * 10);
    if (stored.length !== n || (await store.backlog()) !== n) throw new Error(`expected ${n} unpublished events, have ${stored.length}`);
    // The raw side sends exactly what the relay will send: same key, value and headers per message.
    const rawMessages: Message[] = stored.map((e) => {
      const m = toMessage(rawTopic, e);
      return { key: m.key, value: m.value, headers: m.headers };
    });

    // Relay, with the time spent in each part of a batch (proxies, so they follow the ports' signatures).
    const parts = { fetch: 0, publish: 0, mark: 0 };
    const inner = new KafkaEventPublisher(kafka);
    await inner.connect();
    const outbox = timeMethods(store, parts, { fetchUnpublished: 'fetch', markPublished: 'mark' });
    const publisher = timeMethods(inner, parts, { publish: 'publish' });
    const relay = new OutboxRelay({ outbox, publisher, topic: relayTopic, map: (e) => e, owner: 'bench', batchSize: BATCH });
    log(`${BENCH}: relay draining ${n} events in batches of ${BATCH}`);
    let batches = 0;
    const relayed = await timed(async () => {
      let handled = 0;
      for (let k; (k = await watchdog(relay.runOnce(), batchTimeoutMs, `relay batch ${batches + 1} (batch size ${BATCH})`)) > 0; ) {
        handled += k;
        batches++;
      }
      return handled;
    });
    await inner.disconnect();
    if (relayed.value !== n) throw new Error(`relay handled ${relayed.value} events, expected ${n}`);

    // The same drain by the relay of another process (or after a restart): it reads every commit back
    // from the store, as a relay that did not write them must. Not the ratio; reported beside it.
    const coldTopic = `${relayTopic}-cold`;
    await provisionEventTopics(kafka, [{ topic: coldTopic, partitions }]);
    await t.db.collection('relay_state').deleteMany({});
    await t.db.collection('events_publications').deleteMany({});
    const coldPublisher = new KafkaEventPublisher(kafka);
    await coldPublisher.connect();
    const coldRelay = new OutboxRelay({ outbox: new MongoEventStore(t.db), publisher: coldPublisher, topic: coldTopic, map: (e) => e, owner: 'bench-cold', batchSize: BATCH });
    log(`${BENCH}: the relay of another process draining the same ${n} events from the store`);
    const cold = await timed(async () => {
      let handled = 0;
      for (let k; (k = await watchdog(coldRelay.runOnce(), batchTimeoutMs, 'cold relay batch')) > 0; ) handled += k;
      return handled;
    });
    await coldPublisher.disconnect();
    if (cold.value !== n) throw new Error(`the other process's relay handled ${cold.value} events, expected ${n}`);

    // Raw kafkajs: the same producer settings as KafkaEventPublisher, the partitioner picks partitions.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    log(`${BENCH}: raw sendBatch of ${n} messages in batches of ${BATCH}`);
    const produced = await timed(async () => {
      for (let i = 0; i < rawMessages.length; i += BATCH) {
        await producer.sendBatch({ acks: -1, topicMessages: [{ topic: rawTopic, messages: rawMessages.slice(i, i + BATCH) }] });
      }
    });
    await producer.disconnect();

    const [onRelayTopic, onRawTopic, backlog] = await Promise.all([topicSize(kafka, relayTopic), topicSize(kafka, rawTopic), store.backlog()]);
    if (onRelayTopic !== n || onRawTopic !== n || backlog !== 0) {
      throw new Error(`relay topic has ${onRelayTopic}, raw topic ${onRawTopic}, backlog ${backlog}; expected ${n}, ${n}, 0`);
    }
    const avgValueBytes = Math.round(rawMessages.reduce((s, m) => s + Buffer.byteLength(m.value as string), 0) / n);
    const relayPerSecond = n / relayed.seconds;
    const rawPerSecond = n / produced.seconds;
    const ratio = relayPerSecond / rawPerSecond;
    const share = (s: number) => `${round(s, 2)} s (${Math.round((100 * s) / relayed.seconds)}%)`;
    printTable(`${BENCH} (N=${n}, ${partitions} partitions, batches of ${BATCH}, ~${avgValueBytes} B values)`, [
      ['OutboxRelay + KafkaEventPublisher', `${round(relayed.seconds, 2)} s  ${round(relayPerSecond)} events/s  (${batches} batches)`],
      ['  fetchUnpublished', share(parts.fetch)],
      ['  publish (Kafka)', share(parts.publish)],
      ['  markPublished', share(parts.mark)],
      ['raw producer.sendBatch', `${round(produced.seconds, 2)} s  ${round(rawPerSecond)} msgs/s`],
      ['relay of another process (reads the store)', `${round(cold.seconds, 2)} s  ${round(n / cold.seconds)} events/s, ${Number((n / cold.seconds / rawPerSecond).toPrecision(3))} of raw`],
      ['ratio relay/s ÷ raw produce/s', Number(ratio.toPrecision(3))],
    ]);
    emitResult({
      bench: BENCH,
      ratio: Number(ratio.toPrecision(3)),
      ratioOf: 'relay events/s ÷ raw produce msgs/s',
      n,
      rates: { numerator: round(relayPerSecond), denominator: round(rawPerSecond) },
      partitions,
      batchSize: BATCH,
      relaySeconds: round(relayed.seconds, 3),
      rawSeconds: round(produced.seconds, 3),
      relayEventsPerSecond: round(relayPerSecond),
      rawMsgsPerSecond: round(rawPerSecond),
      relayFetchSeconds: round(parts.fetch, 3),
      relayPublishSeconds: round(parts.publish, 3),
      relayMarkSeconds: round(parts.mark, 3),
      avgValueBytes,
      otherProcessRelayEventsPerSecond: round(n / cold.seconds),
      otherProcessRatio: Number((n / cold.seconds / rawPerSecond).toPrecision(3)),
      setupAppendRetries: retries,
    });
  } finally {
    await t.drop();
    await cleanupKafka(kafka, [relayTopic, `${relayTopic}-cold`, rawTopic, deadLetterTopic(relayTopic), deadLetterTopic(rawTopic)], []);
  }
});
