/**
 * How long a command takes to show in a read model, against how long a raw Kafka message takes from
 * producer to consumer, at the same load on the same broker.
 *
 * 1. The sustainable load: POST /clients and the read that waits for it, at concurrency 16, for a few
 *    seconds (commands/s).
 * 2. Half of it, open loop (a command every 1/rate s, whatever the answers): each command, then
 *    GET /clients/:id?minPosition=<its position>; the time from sending the command to the read's answer
 *    is the command-to-read-model latency (HTTP both ways, decide, append, relay, Kafka, projection,
 *    checkpoint, read-your-writes).
 * 3. The same rate of raw messages: a kafkajs producer (acks -1, idempotent) to a topic with the same
 *    partitions, a consumer group reading it; the time from send to the consumer's eachMessage.
 * The ratio is the p99 of 2 over the p99 of 3 (the issue asks for 10 at most).
 *
 *   KAFKA_BROKERS=... MONGO_URL=... node -r @swc-node/register bench/command-to-read-model.bench.ts
 *   env: BENCH_SECONDS (20: each measured phase), BENCH_CONCURRENCY (16: the sustainable-load probe)
 */
import { Partitioners } from 'kafkajs';
import { provisionEventTopics } from '@vaops/kafka';
import { benchEnv, benchKafka, cleanupKafka, emitResult, log, printTable, round, runBench, uniqueName } from './common';
import { startStack, tokenFor } from './stack';

const BENCH = 'command-to-read-model';
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

runBench(async () => {
  const env = benchEnv();
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
  const stack = await startStack(env, uniqueName('c2rm').replace(/[^a-zA-Z0-9]/g, '_'), {}, ['clients']);
  const kafka = benchKafka(env, 'vaops-bench-c2rm');
  const rawTopic = uniqueName('bench-c2rm');
  const rawGroup = uniqueName('bench-c2rm-g');
  try {
    const url = stack.urls.clients;
    const admin = tokenFor({ sub: 'ops', agencyId: 'agency-c2rm', role: 'agency-admin' });
    const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
    let k = 0;
    const command = async () => {
      const body = JSON.stringify({ name: `Client ${k}`, email: `c${k++}@x.example`, timezone: 'Europe/London', currency: 'EUR' });
      const r = await fetch(`${url}/clients`, { method: 'POST', headers, body });
      const json = (await r.json()) as { id: string; position: number };
      if (r.status !== 201) throw new Error(`POST /clients answered ${r.status}: ${JSON.stringify(json)}`);
      return json;
    };
    /** A command and the read that waits for it: what is measured, and what the load is made of. */
    const commandAndRead = async (failures?: string[]) => {
      const { id, position } = await command();
      const r = await fetch(`${url}/clients/${id}?minPosition=${position}`, { headers });
      await r.arrayBuffer();
      if (r.status !== 200) {
        if (!failures) throw new Error(`GET /clients/${id} answered ${r.status}`);
        failures.push(`GET /clients/${id} answered ${r.status}`);
      }
    };

    // 1. sustainable load: commands read back, as fast as `concurrency` callers go
    for (let i = 0; i < 50; i++) await commandAndRead(); // warm-up
    log(`${BENCH}: sustainable load, concurrency ${concurrency}, ${Math.ceil(seconds / 2)} s`);
    let done = 0;
    const until = Date.now() + (seconds / 2) * 1000;
    const probeStarted = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < until) {
          await commandAndRead();
          done++;
        }
      }),
    );
    const sustainable = done / ((performance.now() - probeStarted) / 1000);
    const rate = sustainable / 2;

    // 2. half of it, open loop, command to read model
    log(`${BENCH}: ${round(rate)} commands/s for ${seconds} s, each read back with ?minPosition=`);
    const commandLatency: number[] = [];
    const failures: string[] = [];
    const inFlight: Promise<void>[] = [];
    const started = performance.now();
    for (let i = 0; performance.now() - started < seconds * 1000; i++) {
      const due = started + (i * 1000) / rate;
      if (due > performance.now()) await sleep(due - performance.now());
      inFlight.push(
        (async () => {
          const t0 = performance.now();
          await commandAndRead(failures);
          commandLatency.push(performance.now() - t0);
        })().catch((err) => void failures.push(String(err))),
      );
    }
    await Promise.all(inFlight);
    if (failures.length > 0) throw new Error(`${failures.length} commands failed: ${failures.slice(0, 5).join('; ')}`);

    // 3. raw produce to consume, same rate
    await provisionEventTopics(kafka, [{ topic: rawTopic, partitions: 3 }]);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: rawGroup, maxWaitTimeInMs: 5_000 });
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic: rawTopic, fromBeginning: true });
    const sentAt = new Map<string, number>();
    const rawLatency: number[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        const id = message.key!.toString();
        const t = sentAt.get(id);
        if (t !== undefined) rawLatency.push(performance.now() - t);
      },
    });
    await sleep(2_000); // the group is joined and fetching
    log(`${BENCH}: raw produce to consume at ${round(rate)} messages/s for ${seconds} s`);
    const value = JSON.stringify({ type: 'ClientRegistered', data: { name: 'x'.repeat(80) } });
    const rawStarted = performance.now();
    const sends: Promise<unknown>[] = [];
    let sent = 0;
    for (let i = 0; performance.now() - rawStarted < seconds * 1000; i++) {
      const due = rawStarted + (i * 1000) / rate;
      if (due > performance.now()) await sleep(due - performance.now());
      const id = `m-${i}`;
      sentAt.set(id, performance.now());
      sends.push(producer.send({ topic: rawTopic, acks: -1, messages: [{ key: id, value }] }));
      sent++;
    }
    await Promise.all(sends);
    const deadline = Date.now() + 30_000;
    while (rawLatency.length < sent && Date.now() < deadline) await sleep(100);
    await consumer.disconnect();
    await producer.disconnect();
    if (rawLatency.length < sent) throw new Error(`the raw consumer received ${rawLatency.length} of ${sent}`);

    const ours = { p50: quantile(commandLatency, 0.5), p99: quantile(commandLatency, 0.99) };
    const raw = { p50: quantile(rawLatency, 0.5), p99: quantile(rawLatency, 0.99) };
    const ratio = ours.p99 / raw.p99;
    printTable(`${BENCH} (clients service, ${seconds} s per phase)`, [
      ['sustainable load (POST /clients, read back)', `${round(sustainable)} commands/s at concurrency ${concurrency}`],
      ['measured at', `${round(rate)} commands/s (half), ${commandLatency.length} commands`],
      ['command to read model', `p50 ${round(ours.p50, 1)} ms, p99 ${round(ours.p99, 1)} ms`],
      ['raw produce to consume', `p50 ${round(raw.p50, 1)} ms, p99 ${round(raw.p99, 1)} ms (${rawLatency.length} messages)`],
      ['ratio p99 command to read model ÷ p99 raw', Number(ratio.toPrecision(3))],
    ]);
    emitResult({
      bench: BENCH,
      ratio: Number(ratio.toPrecision(3)),
      ratioOf: 'p99 command to read model ÷ p99 raw produce to consume, same rate (<= 10)',
      n: commandLatency.length,
      rates: { numerator: round(rate), denominator: round(rate) },
      sustainableCommandsPerSecond: round(sustainable),
      rate: round(rate),
      commandToReadModelMs: { p50: round(ours.p50, 1), p99: round(ours.p99, 1) },
      rawProduceToConsumeMs: { p50: round(raw.p50, 1), p99: round(raw.p99, 1) },
    });
  } finally {
    await stack.remove();
    await cleanupKafka(kafka, [rawTopic], [rawGroup]);
  }
});
