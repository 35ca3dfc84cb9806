#!/usr/bin/env node
// `npm start`: starts the local Kafka broker and FerretDB server (infra/local, dev profile), then every
// service that exists under apps/, waits until each is ready, and prints the URLs and a dev token.
// Ctrl-C stops the services and the servers (their data stays in .infra/run/dev).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoAgency } from './demo-agency.mjs';
import { serviceDescriptors } from './services.mjs';
import { ensureInstalled } from './ensure-installed.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureInstalled();
const require = createRequire(import.meta.url);
const infra = require(path.join(ROOT, 'infra/local/infra.cjs'));
/** The V8 flags every service runs with (infra/service-node-flags.cjs). */
const NODE_FLAGS = require(path.join(ROOT, 'infra/service-node-flags.cjs'));

// every app with a service descriptor (apps/*/src/service.ts: its name and default port); the web console
// (pages rendered from the five services' APIs) is started with them and printed first
const SERVICES = serviceDescriptors(ROOT)
  .filter(({ name }) => existsSync(path.join(ROOT, 'apps', name, 'src', 'main.ts')))
  .map(({ name, port }) => [name, port]);
const portOf = (name, port) => Number(process.env[`${name.toUpperCase().replace('-', '_')}_PORT`] ?? port);
// `npm start -- --no-demo`: no demo agency, even on an empty database
const DEMO = !process.argv.includes('--no-demo');

const children = [];
let stopping = false;

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.stderr.write('\nstopping services...\n');
  await Promise.all(children.map((c) => new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', resolve);
    c.kill('SIGTERM');
    setTimeout(() => c.kill('SIGKILL'), 15_000).unref();
  })));
  if (process.env.VAOPS_KEEP_INFRA !== '1') await infra.down({ profile: 'dev' });
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function waitReady(name, url, child) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    const ok = await fetch(`${url}/health/ready`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} was not ready within 90s`);
}

try {
  const { kafkaBrokers, mongoUrl } = await infra.up({ profile: 'dev' });
  const env = { ...process.env, KAFKA_BROKERS: kafkaBrokers, MONGO_URL: mongoUrl, VAOPS_JWT_SECRET: process.env.VAOPS_JWT_SECRET ?? 'dev-secret-change-me' };
  // the console finds the services where this script starts them
  const consoleEnv = Object.fromEntries(
    SERVICES.filter(([name]) => name !== 'console').map(([name, port]) => [`VAOPS_${name.toUpperCase().replace('-', '_')}_URL`, `http://localhost:${portOf(name, port)}`]),
  );
  const spawnService = (name, port, extraEnv = {}) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, '-r', '@swc-node/register', path.join(ROOT, 'apps', name, 'src', 'main.ts')], {
      cwd: ROOT,
      env: { ...env, PORT: String(portOf(name, port)), ...consoleEnv, ...extraEnv },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code, signal) => {
      if (!stopping && !child.replaced) {
        process.stderr.write(`${name} stopped (${signal ?? code}); stopping everything\n`);
        void stop(1);
      }
    });
    return child;
  };
  for (const [name, port] of SERVICES) children.push(spawnService(name, port));
  await Promise.all(SERVICES.map(([name, port], i) => waitReady(name, `http://localhost:${portOf(name, port)}`, children[i])));
  /** Stops the named services and starts them again with `extraEnv[name]`, on the same ports. */
  const restart = (extraEnv) =>
    Promise.all(
      Object.keys(extraEnv).map(async (name) => {
        const i = SERVICES.findIndex(([n]) => n === name);
        const old = children[i];
        old.replaced = true;
        await new Promise((resolve) => {
          if (old.exitCode !== null || old.signalCode !== null) return resolve();
          old.once('exit', resolve);
          old.kill('SIGTERM');
          setTimeout(() => old.kill('SIGKILL'), 15_000).unref();
        });
        if (stopping) return;
        children[i] = spawnService(name, SERVICES[i][1], extraEnv[name]);
        await waitReady(name, `http://localhost:${portOf(name, SERVICES[i][1])}`, children[i]);
      }),
    );
  // the demo agency, only in an empty agency (scripts/demo-agency.mjs)
  const demo = DEMO ? await demoAgency({ root: ROOT, env: { ...env, ...consoleEnv }, restart }) : 'not created (--no-demo)';
  const token = (await import('node:child_process')).execFileSync(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'libs/platform/src/cli/dev-token.ts'), '--role', 'agency-admin', '--agency', 'agency-dev', '--expires', '12h'], { cwd: ROOT, env, encoding: 'utf8' }).trim();
  const lines = [
    '',
    'vaops is running',
    ...SERVICES.filter(([name]) => name === 'console').map(([name, port]) => `  console       http://localhost:${portOf(name, port)}   (sign in: http://localhost:${portOf(name, port)}/signin, one click)`),
    `  Kafka     ${kafkaBrokers}`,
    `  MongoDB   ${mongoUrl}  (FerretDB v1, SQLite backend)`,
    ...SERVICES.filter(([name]) => name !== 'console').map(([name, port]) => `  ${name.padEnd(13)} http://localhost:${portOf(name, port)}   (API docs: http://localhost:${portOf(name, port)}/docs)`),
    '',
    'dev token (agency-admin of agency-dev, valid 12 h):',
    token,
    '',
    `demo agency: ${demo}`,
    '',
    'try:',
    ...SERVICES.filter(([name]) => name === 'clients').map(([name, port]) => `  curl -H "Authorization: Bearer ${token.slice(0, 12)}..." http://localhost:${portOf(name, port)}/clients`),
    'Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} catch (err) {
  process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  await stop(1);
}
