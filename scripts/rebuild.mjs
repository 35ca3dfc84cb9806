#!/usr/bin/env node
// `npm run rebuild -- <service> [--projection name] [--force] [--json-summary file]`: runs apps/<service>/src/rebuild.ts.
// `npm run rebuild -- --all [--force] [--json-summary file]` (also `npm run rebuild:all`): every service that
// has an apps/<service>/src/rebuild.ts, one after another, then a summary table; exits 1 if any read model
// failed or differed from its rebuild without being swapped (with --force a differing one is swapped: repaired).
//
// Every service's rebuild reads KAFKA_BROKERS, VAOPS_TOPIC_PREFIX and MONGO_URL like the service (the
// database is MONGO_URL's path, else vaops_<service>). MONGO_URL_<SERVICE> (upper case, `-` as `_`, e.g.
// MONGO_URL_TIME_TRACKING) overrides MONGO_URL for that one service, for services whose databases are not
// the default names.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: npm run rebuild -- <service> [--projection name] [--force] [--json-summary file]\n       npm run rebuild -- --all [--force] [--json-summary file]\n';

const entryOf = (service) => path.join(ROOT, 'apps', service, 'src', 'rebuild.ts');
const envFor = (service) => {
  const override = process.env[`MONGO_URL_${service.toUpperCase().replace(/-/g, '_')}`];
  return override ? { ...process.env, MONGO_URL: override } : process.env;
};
/** Runs one service's rebuild with the terminal's output (progress on stderr, a JSON line per read model on stdout). */
const runService = (service, args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', entryOf(service), ...args], { cwd: ROOT, env: envFor(service), stdio: 'inherit' });
    child.on('error', (err) => resolve({ code: 1, error: err.message }));
    child.on('exit', (code, signal) => resolve({ code: code ?? 1, error: signal ? `killed by ${signal}` : null }));
  });

const args = process.argv.slice(2);
if (!args.includes('--all')) {
  const [service, ...rest] = args;
  if (!service || service.startsWith('-') || !existsSync(entryOf(service))) {
    process.stderr.write(`${USAGE}${service && !service.startsWith('-') ? `no rebuild entry for ${service}\n` : ''}`);
    process.exit(2);
  }
  const { code } = await runService(service, rest);
  process.exit(code);
}

// --all
const rest = args.filter((a) => a !== '--all');
const summaryIndex = rest.indexOf('--json-summary');
const summaryFile = summaryIndex >= 0 ? rest[summaryIndex + 1] : undefined;
const passOn = summaryIndex < 0 ? rest : rest.filter((_, i) => i !== summaryIndex && i !== summaryIndex + 1);
const unknown = passOn.filter((a) => a !== '--force');
if ((summaryIndex >= 0 && !summaryFile) || unknown.length > 0) {
  process.stderr.write(`${USAGE}${unknown.length > 0 ? `--all takes only --force and --json-summary (got ${unknown.join(' ')})\n` : ''}`);
  process.exit(2);
}
const services = readdirSync(path.join(ROOT, 'apps'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(entryOf(d.name)))
  .map((d) => d.name)
  .sort();
if (services.length === 0) {
  process.stderr.write('no service has an apps/<service>/src/rebuild.ts\n');
  process.exit(2);
}

const work = mkdtempSync(path.join(tmpdir(), 'vaops-rebuild-'));
const rows = [];
try {
  for (const [i, service] of services.entries()) {
    process.stderr.write(`\n=== ${service} (${i + 1}/${services.length}) ===\n`);
    const file = path.join(work, `${service}.json`);
    const { code, error } = await runService(service, [...passOn, '--json-summary', file]);
    const summary = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
    if (summary) rows.push(...summary.rows);
    if (!summary || (code !== 0 && summary.rows.every((r) => !r.error))) {
      // it ended before reporting (could not connect, crashed): one row for the whole service
      rows.push({ service, projection: '(all)', events: null, seconds: null, equal: null, swapped: false, error: error ?? `exited with code ${code} before reporting` });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const failed = rows.filter((r) => r.error !== null);
const outcome = (r) => {
  if (r.equal === false) return r.swapped ? 'not equal: swapped (repaired)' : 'NOT EQUAL: not swapped (--force swaps it)';
  if (r.error !== null) return `FAILED: ${r.error}`;
  return r.swapped ? 'swapped' : 'not swapped';
};
const table = [
  ['service', 'projection', 'events', 'equal', 'seconds', 'result'],
  ...rows.map((r) => [r.service, r.projection, r.events === null ? '-' : String(r.events), r.equal === null ? '-' : r.equal ? 'yes' : 'no', r.seconds === null ? '-' : r.seconds.toFixed(1), outcome(r)]),
];
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
const numeric = new Set([2, 4]);
const line = (row) => row.map((cell, c) => (c === row.length - 1 ? cell : numeric.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
process.stdout.write(`\nrebuild summary\n${line(table[0])}\n${line(widths.map((w) => '-'.repeat(w)))}\n${table.slice(1).map(line).join('\n')}\n`);
process.stdout.write(failed.length === 0 ? `all ${rows.length} read models of ${services.length} services rebuilt\n` : `${failed.length} of ${rows.length} read models failed or were not equal\n`);
if (summaryFile) writeFileSync(summaryFile, `${JSON.stringify({ ok: failed.length === 0, services, rows }, null, 2)}\n`);
process.exit(failed.length === 0 ? 0 : 1);
