import { writeFileSync } from 'node:fs';
import { createKafka } from '@vaops/kafka';
import { connectMongo } from '@vaops/mongo';
import type { DynamicModule, Type } from '@nestjs/common';
import { progressBar, rebuildProjection, RebuildMismatchError } from '@vaops/projections';
import type { ServiceDescriptor } from '../bootstrap';
import { loadConfig } from '../config/config';
import { projectionsOf } from '../events/event-handlers';
import { connectPersonKeys } from '../personal-data/mongo-person-keys';
import { databaseName } from './event-sourced-runtime';
import { topicPrefix } from './event-sourced-service';

/** One read model's outcome, as written by `--json-summary` (and read by `npm run rebuild -- --all`). */
export interface RebuildSummaryRow {
  service: string;
  projection: string;
  /** Events the rebuild replayed; null when it failed before comparing. */
  events: number | null;
  seconds: number | null;
  /** Whether the rebuilt read model equals the live one; null when it failed before comparing. */
  equal: boolean | null;
  swapped: boolean;
  /** Why it failed (a differing read model without --force counts as failed); null when it did not. */
  error: string | null;
}

export interface RebuildSummary {
  service: string;
  ok: boolean;
  rows: RebuildSummaryRow[];
}

const argValue = (argv: string[], flag: string): string | undefined => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);

/**
 * `node -r @swc-node/register apps/<service>/src/rebuild.ts [--projection name] [--force] [--json-summary file]`:
 * rebuilds every read model of a service from offset zero of the topics it reads while the live
 * service keeps serving, proves equality and swaps; `--force` swaps even when they differ (repair).
 * Prints one JSON line per read model; with `--json-summary`, also writes every read model's outcome,
 * failures included, to that file as one JSON document (RebuildSummary). Exits 1 if any rebuild failed.
 */
export async function runRebuildCli({ service, handlers }: { service: ServiceDescriptor; handlers: Type<unknown> | DynamicModule }, argv = process.argv.slice(2)): Promise<number> {
  const only = argValue(argv, '--projection');
  const summaryFile = argValue(argv, '--json-summary');
  const force = argv.includes('--force');
  const rows: RebuildSummaryRow[] = [];
  const writeSummary = (ok: boolean) => {
    if (summaryFile) writeFileSync(summaryFile, `${JSON.stringify({ service: service.name, ok, rows } satisfies RebuildSummary, null, 2)}\n`);
  };
  const config = loadConfig({ serviceName: service.name, port: service.port });
  const conn = await connectMongo(config.mongoUrl, databaseName(config.mongoUrl, config.serviceName));
  const kafka = createKafka({ brokers: [...config.kafkaBrokers], clientId: `vaops-${service.name}-rebuild` });
  // the service's own event handlers, built into projections by the transport the service runs them on
  // the same keyring as the service: old plaintext is sealed (or erased) exactly as the live projection did
  const keyring = await connectPersonKeys(config);
  const definitions = (await projectionsOf(handlers, topicPrefix(), keyring.keys)).filter((d) => !only || d.name === only);
  if (definitions.length === 0) {
    process.stderr.write(`no read model named ${only}\n`);
    rows.push({ service: service.name, projection: only ?? '(none)', events: null, seconds: null, equal: null, swapped: false, error: `no read model named ${only}` });
    writeSummary(false);
    await conn.close();
    await keyring.close();
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
        rows.push({ service: service.name, projection: r.projection, events: r.events, seconds: r.seconds, equal: r.equal, swapped: r.swapped, error: null });
      } catch (err) {
        failed = true;
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`\n${definition.name}: ${message}\n`);
        const compared = err instanceof RebuildMismatchError ? err.result : undefined;
        rows.push({
          service: service.name,
          projection: definition.name,
          events: compared?.events ?? null,
          seconds: compared?.seconds ?? null,
          equal: compared?.equal ?? null,
          swapped: false,
          error: message,
        });
      }
    }
  } finally {
    writeSummary(!failed);
    await conn.close();
    await keyring.close();
  }
  return failed ? 1 : 0;
}
