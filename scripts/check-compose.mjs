#!/usr/bin/env node
// Validates docker-compose.yml without a Docker engine: runs `docker compose config -q`
// (compose v2) when that client works, else `docker-compose config -q` (v1, e.g.
// Debian's 1.29). VAOPS_JWT_SECRET and VAOPS_KEYRING_MASTER_KEY are set to dummy values in the
// validator's environment, since the compose file requires them.
//
// Usage: node scripts/check-compose.mjs [--file|-f <compose file>]   (default: <repo>/docker-compose.yml)
// Exit:  0 valid | 1 invalid (validator output printed) | 2 bad usage / file missing
//        | 3 "compose validator not installed" (the caller decides what that means)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DUMMY_SECRET = 'compose-config-check-dummy-secret-000000';
const DUMMY_MASTER_KEY = Buffer.alloc(32).toString('base64');

function parseArgs(argv) {
  let file = path.join(repoRoot, 'docker-compose.yml');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--file' || arg === '-f') {
      if (!argv[i + 1]) usage(`${arg} needs a path`);
      file = path.resolve(argv[++i]);
    } else if (arg.startsWith('--file=')) {
      file = path.resolve(arg.slice('--file='.length));
    } else if (arg === '--help' || arg === '-h') {
      console.log('usage: node scripts/check-compose.mjs [--file <compose file>]');
      process.exit(0);
    } else {
      usage(`unknown argument: ${arg}`);
    }
  }
  return file;
}

function usage(msg) {
  console.error(`check-compose: ${msg}\nusage: node scripts/check-compose.mjs [--file <compose file>]`);
  process.exit(2);
}

function run(cmd, args, env = process.env) {
  return spawnSync(cmd, args, { cwd: repoRoot, env, encoding: 'utf8', timeout: 120_000 });
}

function works(cmd, args) {
  const r = run(cmd, args);
  return !r.error && r.status === 0;
}

const file = parseArgs(process.argv.slice(2));
if (!existsSync(file)) {
  console.error(`check-compose: compose file not found: ${file}`);
  process.exit(2);
}

let validator;
if (works('docker', ['compose', 'version'])) validator = { cmd: 'docker', pre: ['compose'] };
else if (works('docker-compose', ['version'])) validator = { cmd: 'docker-compose', pre: [] };
else {
  console.error('compose validator not installed (neither `docker compose` nor `docker-compose` works)');
  process.exit(3);
}

const args = [...validator.pre, '-f', file, 'config', '-q'];
const label = [validator.cmd, ...args].join(' ');
const r = run(validator.cmd, args, { ...process.env, VAOPS_JWT_SECRET: DUMMY_SECRET, VAOPS_KEYRING_MASTER_KEY: DUMMY_MASTER_KEY });
if (r.error || r.status !== 0) {
  console.error(`check-compose: INVALID — \`${label}\` failed (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`}):`);
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (out) console.error(out);
  process.exit(1);
}
console.log(`check-compose: OK — ${path.relative(process.cwd(), file) || file} is valid (\`${label}\`)`);
