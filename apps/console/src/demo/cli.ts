// Creates the demo agency in an empty agency through the services' public HTTP APIs:
//   node -r @swc-node/register apps/console/src/demo/cli.ts [--agency <id>] [--check] [--json]
// The services' URLs come from VAOPS_CLIENTS_URL, VAOPS_SCHEDULING_URL, VAOPS_TIME_TRACKING_URL,
// VAOPS_BILLING_URL and VAOPS_ANALYTICS_URL (default http://localhost:3001 to 3005, as the console's),
// the agency from --agency or VAOPS_DEMO_AGENCY (default agency-dev), tokens are signed with
// VAOPS_JWT_SECRET (or the dev default). Clients and scheduling must run with VAOPS_TEST_CLOCK=1, the
// clients scheduler held meanwhile (VAOPS_SCHEDULER_INTERVAL_MS=3600000), as scripts/demo-agency.mjs
// starts them (see seed.ts), and on the system clock again afterwards.
// --check only tells whether the agency is empty. Progress goes to stderr; the result to stdout (one
// JSON line with --json). Exit code 0 when seeded or skipped (not empty), 1 on any failure.
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET } from '@vaops/platform';
import type { ServiceUrls } from './http';
import { demoAgencyState, seedDemoAgency } from './seed';

const USAGE = 'usage: cli.ts [--agency <id>] [--check] [--json]';

export function serviceUrls(env: NodeJS.ProcessEnv): ServiceUrls {
  const url = (name: string, port: number) => (env[name] ?? `http://localhost:${port}`).replace(/\/$/, '');
  return {
    clients: url('VAOPS_CLIENTS_URL', 3001),
    scheduling: url('VAOPS_SCHEDULING_URL', 3002),
    timeTracking: url('VAOPS_TIME_TRACKING_URL', 3003),
    billing: url('VAOPS_BILLING_URL', 3004),
    analytics: url('VAOPS_ANALYTICS_URL', 3005),
  };
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({ args: argv, strict: true, options: { agency: { type: 'string' }, check: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
  const agencyId = values.agency ?? env.VAOPS_DEMO_AGENCY ?? 'agency-dev';
  const options = { urls: serviceUrls(env), agencyId, jwtSecret: env.VAOPS_JWT_SECRET || DEV_JWT_SECRET };
  const print = (json: object, text: string) => process.stdout.write(`${values.json ? JSON.stringify(json) : text}\n`);
  if (values.check) {
    const state = await demoAgencyState(options);
    print({ agencyId, ...state }, state.empty ? `agency ${agencyId} is empty` : `agency ${agencyId} has ${state.clients} client(s) and ${state.assistants} assistant(s) (first page)`);
    return;
  }
  const result = await seedDemoAgency({ ...options, log: (line) => process.stderr.write(`demo: ${line}\n`) });
  print(result, result.seeded ? `demo agency ${agencyId} created in ${result.seconds} s: ${result.summary}` : `demo agency not created: ${result.reason}`);
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).catch((err: unknown) => {
    const badArgs = String((err as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`demo seed failed: ${err instanceof Error ? err.message : String(err)}\n${badArgs ? `${USAGE}\n` : ''}`);
    process.exitCode = 1;
  });
}
