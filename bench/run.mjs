#!/usr/bin/env node
// Runs the benchmarks one after another (each in its own `node -r @swc-node/register` process, with
// this process's environment), collects the JSON line each prints last, and prints a summary.
//
//   KAFKA_BROKERS=127.0.0.1:19092 MONGO_URL=mongodb://127.0.0.1:37017/ node bench/run.mjs [name ...]
//   env: BENCH_N (events/operations per benchmark, default 2000), BENCH_TIMEOUT_MS (per benchmark, 300000)
//
// Without KAFKA_BROKERS / MONGO_URL it starts the project's own servers (infra/local, test profile)
// and stops them afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCHES = ['local-server', 'append-vs-insert', 'relay-vs-produce', 'rebuild-vs-consume', 'projection-vs-bulkwrite', 'command-to-read-model', 'rebalance-vs-steady', 'decode-vs-parse', 'idle-clients'];
// run only when named (minutes each): `npm run bench -- agency-month`
const ON_DEMAND = ['agency-month', 'emmett-comparison'];
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS || 1_800_000);

/** emmett-comparison's peer, Emmett's MongoDB event store, installed apart (bench/emmett) when first needed. */
function ensureEmmett() {
  const dir = path.join(ROOT, 'bench', 'emmett');
  if (existsSync(path.join(dir, 'node_modules', '@event-driven-io', 'emmett-mongodb'))) return;
  process.stderr.write('[bench] installing Emmett for emmett-comparison into bench/emmett (first time only)\n');
  // its packages pin peer versions that the registry does not serve together: --legacy-peer-deps
  const r = spawnSync('npm', ['ci', '--legacy-peer-deps', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('could not install bench/emmett');
}

function runOne(name, env) {
  if (name === 'emmett-comparison') ensureEmmett();
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join('bench', `${name}.bench.ts`)], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    const timer = setTimeout(() => {
      process.stderr.write(`[bench] ${name} exceeded ${TIMEOUT_MS} ms; stopping it\n`);
      child.kill('SIGTERM');
    }, TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').reverse().find((l) => l.startsWith('{'));
      let result;
      try {
        result = line ? JSON.parse(line) : undefined;
      } catch {
        result = undefined;
      }
      resolve({ name, ok: code === 0 && result !== undefined, code, signal, result, wallSeconds: (Date.now() - started) / 1000 });
    });
  });
}

function summary(runs) {
  const rows = [['bench', 'N', 'ratio', 'numerator/s', 'denominator/s', 'ratio of', 'wall s']];
  for (const r of runs) {
    if (!r.ok) {
      rows.push([r.name, '-', 'FAILED', '-', '-', `exit ${r.code ?? r.signal}`, r.wallSeconds.toFixed(1)]);
      continue;
    }
    const x = r.result;
    rows.push([x.bench, String(x.n), String(x.ratio), String(x.rates.numerator), String(x.rates.denominator), x.ratioOf, r.wallSeconds.toFixed(1)]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const fmt = (row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [fmt(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(fmt)].join('\n');
}

async function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !BENCHES.includes(w) && !ON_DEMAND.includes(w));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${[...BENCHES, ...ON_DEMAND].join(', ')}`);
  const names = wanted.length > 0 ? wanted : BENCHES;

  const env = { ...process.env };
  let infra;
  if (!env.KAFKA_BROKERS || !env.MONGO_URL) {
    infra = createRequire(import.meta.url)('../infra/local/infra.cjs');
    process.stderr.write('[bench] KAFKA_BROKERS / MONGO_URL not set: starting the local servers (test profile)\n');
    const urls = await infra.up({ profile: 'test' });
    env.KAFKA_BROKERS = urls.kafkaBrokers;
    env.MONGO_URL = urls.mongoUrl;
  }
  const runs = [];
  try {
    for (const name of names) {
      process.stderr.write(`[bench] ${name} (N=${env.BENCH_N || 2000})\n`);
      runs.push(await runOne(name, env));
    }
  } finally {
    if (infra) await infra.down({ profile: 'test' });
  }
  process.stdout.write(`\nSummary (one run, same servers: KAFKA_BROKERS=${env.KAFKA_BROKERS}, MONGO_URL=${env.MONGO_URL})\n${summary(runs)}\n`);
  process.stdout.write(`${JSON.stringify({ benches: runs.map((r) => (r.ok ? r.result : { bench: r.name, failed: true, exit: r.code ?? r.signal })) })}\n`);
  if (runs.some((r) => !r.ok)) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`[bench] ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
