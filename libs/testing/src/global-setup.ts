// Uses KAFKA_BROKERS and MONGO_URL when they are set, or the test-profile servers when they already
// run; otherwise starts the project's own local Kafka broker and FerretDB server (test profile, fresh
// data) and stops them in global-teardown.
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { provisionEventTopics } from '@vaops/kafka';

// infra/ is not an Nx project: load its script by path (it is plain Node, no build step).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const infra = require(path.resolve(__dirname, '../../../infra/local/infra.cjs'));

export default async function globalSetup(): Promise<void> {
  if (process.env.KAFKA_BROKERS && process.env.MONGO_URL) return;
  if (process.env.VAOPS_TEST_INFRA_STARTED === '1') return;
  // Someone (another run, a benchmark) already runs the test servers: share them, never wipe them.
  const running = await infra.status({ profile: 'test' });
  if (running.kafka.running && running.kafka.ready && running.ferretdb.running && running.ferretdb.ready) {
    const urls = infra.urls('test');
    process.env.KAFKA_BROKERS = urls.kafkaBrokers;
    process.env.MONGO_URL = urls.mongoUrl;
    return;
  }
  const urls = await infra.up({ profile: 'test', fresh: true });
  process.env.KAFKA_BROKERS = urls.kafkaBrokers;
  process.env.MONGO_URL = urls.mongoUrl;
  process.env.VAOPS_TEST_INFRA_STARTED = '1';
  await warmUp(urls.kafkaBrokers);
}

/**
 * A broker that has just been formatted still has to create __consumer_offsets on the first group
 * join; services starting in parallel against it then race on metadata. Any long-running broker has
 * done this already, so do it once here: a topic, a message, a group that reads it.
 */
async function warmUp(brokers: string): Promise<void> {
  const kafka = new Kafka({ brokers: brokers.split(','), clientId: 'vaops-warm-up', logLevel: logLevel.NOTHING });
  await provisionEventTopics(kafka, [{ topic: 'vaops.warm-up', partitions: 1 }]);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'vaops.warm-up', messages: [{ value: 'warm' }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: 'vaops-warm-up', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'vaops.warm-up', fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('broker warm-up timed out')), 60_000);
    void consumer.run({ eachMessage: async () => { clearTimeout(timer); resolve(); } });
  });
  await consumer.disconnect();
}
