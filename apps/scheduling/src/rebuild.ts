// Rebuilds every read model of the scheduling service from offset zero of the topics it reads, while the live
// service keeps serving; proves equality and swaps. `--force` swaps even when they differ (repair).
//   node -r @swc-node/register apps/scheduling/src/rebuild.ts [--projection name] [--force]
import 'reflect-metadata';
import { createKafka } from '@vaops/kafka';
import { connectMongo } from '@vaops/mongo';
import { databaseName, loadConfig } from '@vaops/platform';
import { progressBar, rebuildProjection } from '@vaops/projections';
import { schedulingProjections } from './projections';
import { topicPrefix } from './runtime';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.includes('--projection') ? args[args.indexOf('--projection') + 1] : undefined;
  const force = args.includes('--force');
  const config = loadConfig({ serviceName: 'scheduling', port: 3002 });
  const conn = await connectMongo(config.mongoUrl, databaseName(config.mongoUrl, config.serviceName));
  const kafka = createKafka({ brokers: [...config.kafkaBrokers], clientId: 'vaops-scheduling-rebuild' });
  let failed = false;
  try {
    for (const definition of schedulingProjections(topicPrefix()).filter((d) => !only || d.name === only)) {
      try {
        const r = await rebuildProjection({ db: conn.db!, kafka, definition, force, onProgress: progressBar() });
        process.stderr.write('\n');
        process.stdout.write(`${JSON.stringify({ projection: r.projection, events: r.events, seconds: r.seconds, eventsPerSecond: Math.round(r.eventsPerSecond), equal: r.equal, swapped: r.swapped, documents: Object.fromEntries(Object.entries(r.rebuilt).map(([k, v]) => [k, v.count])) })}\n`);
      } catch (err) {
        failed = true;
        process.stderr.write(`\n${definition.name}: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  } finally {
    await conn.close();
  }
  process.exit(failed ? 1 : 0);
}

void main();
