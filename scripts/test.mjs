#!/usr/bin/env node
// `npm test`: lint (including the Nx module-boundary rules), typecheck, then every Jest test against
// the real Kafka broker and FerretDB server (started by the Jest global setup unless KAFKA_BROKERS and
// MONGO_URL point at running ones), then every regular benchmark once at a small N (that they still run).
// Extra arguments go to Jest: `npm test -- libs/kafka` (and skip the benchmarks).
// `--only-jest` skips lint, typecheck and the benchmarks (used by the per-project Nx test targets).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureInstalled } from './ensure-installed.mjs';

ensureInstalled();

const args = process.argv.slice(2);
const onlyJest = args.includes('--only-jest');
const jestArgs = args.filter((a) => a !== '--only-jest');

const results = 'tmp/jest-results.json';
mkdirSync('tmp', { recursive: true });
rmSync(results, { force: true }); // so a failure before Jest prints no earlier run's line

function step(title, cmd, cmdArgs, env = process.env) {
  const started = Date.now();
  process.stderr.write(`\n=== ${title}\n`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stderr.write(`=== ${title}: FAILED after ${secs}s\n`);
    summary(); // Jest's line, when Jest has run (also when a step after it fails)
    process.exit(r.status ?? 1);
  }
  process.stderr.write(`=== ${title}: ok in ${secs}s\n`);
}

// docker-compose.yml must be accepted by `docker compose config` (only a client exists here, no engine).
function composeCheck() {
  const r = spawnSync(process.execPath, ['scripts/check-compose.mjs'], { stdio: 'inherit' });
  if (r.status === 3) {
    process.stderr.write('=== compose: skipped (no compose client installed; .ci/run installs one)\n');
    return;
  }
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!onlyJest) {
  // the module-boundary rule needs Nx's project graph; without one it silently skips itself
  step('project graph', 'npx', ['nx', 'show', 'projects']);
  step('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
  // docs/errors.md is generated from the *.errors.ts files: stale, or a code declared twice, fails here
  step('error codes', process.execPath, ['-r', '@swc-node/register', 'libs/platform/tools/error-codes.ts', '--check']);
  // each service's name and port are written once (apps/*/src/service.ts): compose and the console must agree
  step('service descriptors', process.execPath, ['scripts/services.mjs', '--check']);
  step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  composeCheck();
}
step('jest', 'npx', ['jest', '--ci', '--json', `--outputFile=${results}`, ...jestArgs]);
// every regular benchmark once, small (about 2 min): one that no longer runs fails here, not on the day
// its figures are wanted. Their figures are not checked (speed is measured on demand, docs/performance.md).
if (!onlyJest && jestArgs.length === 0) step('benchmarks run (BENCH_N=200, figures not checked)', process.execPath, ['bench/run.mjs'], { ...process.env, BENCH_N: '200' });
summary();

// One plain closing line for whoever reads the log (CI does): "tests: N passed, N failed".
function summary() {
  if (!existsSync(results)) return;
  const r = JSON.parse(readFileSync(results, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  process.stdout.write(`tests: ${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
}
