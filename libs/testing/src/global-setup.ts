// Uses KAFKA_BROKERS and MONGO_URL when they are set, or the test-profile servers when they already
// run; otherwise starts the project's own local Kafka broker and FerretDB server (test profile, fresh
// data) and stops them in global-teardown.
import * as path from 'node:path';

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
}
