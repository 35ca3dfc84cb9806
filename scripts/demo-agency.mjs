// The demo agency on first start (README "The demo agency"; the seed is apps/console/src/demo): used by
// scripts/start.mjs once the services are ready. Only an empty agency gets it. While the seed runs,
// clients and scheduling run on their test clocks (VAOPS_TEST_CLOCK=1: the agency starts eight weeks
// ago there, the clients scheduler held), then on the system clock again; the seed itself talks to the
// services' public HTTP APIs only.
import { spawn } from 'node:child_process';
import path from 'node:path';

/** Runs the seed's command line with `--json` and answers what it printed. */
function demoCli(root, env, args) {
  return new Promise((resolve, reject) => {
    const cli = spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, 'apps/console/src/demo/cli.ts'), '--json', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    cli.stdout.on('data', (d) => (out += d));
    cli.on('error', reject);
    cli.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the demo seed failed (exit ${code}, its message above); \`npm start -- --no-demo\` starts without it`));
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`the demo seed printed something other than JSON: ${out.slice(0, 200)}`));
      }
    });
  });
}

/**
 * Creates the demo agency if the agency is empty; answers one line on what happened. `env` reaches the
 * services (VAOPS_*_URL) and signs tokens (VAOPS_JWT_SECRET); `restart({ name: extraEnv })` restarts
 * services on their ports with extra environment.
 */
export async function demoAgency({ root, env, restart }) {
  const check = await demoCli(root, env, ['--check']);
  if (!check.empty) return `${check.agencyId} already has clients or assistants: not created`;
  const started = Date.now();
  process.stdout.write(`creating the demo agency in ${check.agencyId} (empty)...\n`);
  await restart({ clients: { VAOPS_TEST_CLOCK: '1', VAOPS_SCHEDULER_INTERVAL_MS: '3600000' }, scheduling: { VAOPS_TEST_CLOCK: '1' } });
  const seeded = await demoCli(root, env, []);
  await restart({ clients: {}, scheduling: {} });
  if (!seeded.seeded) return `not created: ${seeded.reason}`;
  return `created in ${((Date.now() - started) / 1000).toFixed(1)} s (the seed ${seeded.seconds} s, the rest restarting clients and scheduling): ${seeded.summary}`;
}
