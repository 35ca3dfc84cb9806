import { createKafka } from '@vaops/kafka';
import { connectMongo } from '@vaops/mongo';
import { progressBar, rebuildProjection, type ProjectionDefinition } from '@vaops/projections';
import { loadConfig } from '../config/config';
import { databaseName } from './event-sourced-runtime';
import { topicPrefix } from './event-sourced-service';

/**
 * `node -r @swc-node/register apps/<service>/src/rebuild.ts [--projection name] [--force]`:
 * rebuilds every read model of a service from offset zero of the topics it reads while the live
 * service keeps serving, proves equality and swaps; `--force` swaps even when they differ (repair).
 * Prints one JSON line per read model; exits 1 if any rebuild failed.
 */
export async function runRebuildCli(service: { serviceName: string; port: number; projections: (prefix: string) => ProjectionDefinition[] }, argv = process.argv.slice(2)): Promise<number> {
  const only = argv.includes('--projection') ? argv[argv.indexOf('--projection') + 1] : undefined;
  const force = argv.includes('--force');
  const config = loadConfig({ serviceName: service.serviceName, port: service.port });
  const conn = await connectMongo(config.mongoUrl, databaseName(config.mongoUrl, config.serviceName));
  const kafka = createKafka({ brokers: [...config.kafkaBrokers], clientId: `vaops-${service.serviceName}-rebuild` });
  const definitions = service.projections(topicPrefix()).filter((d) => !only || d.name === only);
  if (definitions.length === 0) {
    process.stderr.write(`no read model named ${only}\n`);
    await conn.close();
    return 2;
  }
  let failed = false;
  try {
    for (const definition of definitions) {
      try {
        const r = await rebuildProjection({ db: conn.db!, kafka, definition, force, onProgress: progressBar() });
        process.stderr.write('\n');
        const documents = Object.fromEntries(Object.entries(r.rebuilt).map(([k, v]) => [k, v.count]));
        process.stdout.write(`${JSON.stringify({ projection: r.projection, events: r.events, seconds: r.seconds, eventsPerSecond: Math.round(r.eventsPerSecond), equal: r.equal, swapped: r.swapped, documents })}\n`);
      } catch (err) {
        failed = true;
        process.stderr.write(`\n${definition.name}: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  } finally {
    await conn.close();
  }
  return failed ? 1 : 0;
}
