/**
 * The five services as separate processes for a benchmark (bench code may not import libs/testing):
 * each on a free port, one topic prefix and one database per service, the test clock on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { DEV_JWT_SECRET, mintToken, NO_RATE_LIMITS, type TokenClaims } from '@vaops/platform';
import { MongoClient } from 'mongodb';
import type { BenchEnv } from './common';
import { benchKafka, log } from './common';

const ROOT = path.resolve(__dirname, '..');
/** The V8 flags every service runs with (infra/service-node-flags.cjs). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const NODE_FLAGS = require(path.join(ROOT, 'infra/service-node-flags.cjs')) as string[];

export const SERVICES = ['clients', 'scheduling', 'time-tracking', 'billing', 'analytics'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface RunningStack {
  urls: Record<ServiceName, string>;
  pids: Record<ServiceName, number>;
  prefix: string;
  stop(): Promise<void>;
  /** Stops the services, then drops their databases and the stack's topics and consumer groups. */
  remove(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startStack(env: BenchEnv, name: string, extraEnv: Record<string, string> = {}, services: readonly ServiceName[] = SERVICES): Promise<RunningStack> {
  const prefix = `${name}.`;
  const children = new Map<ServiceName, ChildProcess>();
  const urls = {} as Record<ServiceName, string>;
  const output = new Map<ServiceName, string>();
  for (const svc of services) {
    const port = await freePort();
    // the services' own flags, then BENCH_NODE_ARGS: extra node flags (e.g. --cpu-prof --cpu-prof-dir=/tmp/p)
    const nodeArgs = [...NODE_FLAGS, ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];
    const child = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', path.join(ROOT, 'apps', svc, 'src', 'main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        KAFKA_BROKERS: env.kafkaBrokers.join(','),
        MONGO_URL: `${env.mongoUrl.replace(/\/$/, '')}/${name}_${svc.replace(/-/g, '_')}`,
        VAOPS_TOPIC_PREFIX: prefix,
        VAOPS_JWT_SECRET: DEV_JWT_SECRET,
        VAOPS_TEST_CLOCK: '1',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        // a benchmark drives a whole agency through a few tokens as fast as the stack goes
        ...NO_RATE_LIMITS,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    output.set(svc, '');
    const keep = (d: Buffer) => output.set(svc, (output.get(svc)! + d.toString()).slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    children.set(svc, child);
    urls[svc] = `http://127.0.0.1:${port}`;
  }
  const stop = async () => {
    await Promise.all(
      [...children.values()].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 15_000).unref();
          }),
      ),
    );
  };
  try {
    const deadline = Date.now() + 120_000;
    for (const svc of services) {
      for (;;) {
        const child = children.get(svc)!;
        if (child.exitCode !== null) throw new Error(`${svc} exited with ${child.exitCode}:\n${output.get(svc)}`);
        const ok = await fetch(`${urls[svc]}/health/ready`).then((r) => r.status === 200, () => false);
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`${svc} was not ready within 120 s:\n${output.get(svc)}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  log(`stack ${name} ready: ${services.map((s) => `${s} ${urls[s]}`).join(', ')}`);
  const remove = async () => {
    await stop();
    const mongo = new MongoClient(env.mongoUrl);
    try {
      for (const svc of services) await mongo.db(`${name}_${svc.replace(/-/g, '_')}`).dropDatabase();
    } catch (err) {
      log(`could not drop the databases of stack ${name}: ${String(err)}`);
    } finally {
      await mongo.close().catch(() => undefined);
    }
    const admin = benchKafka(env, `${name}-cleanup`).admin();
    try {
      await admin.connect();
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
      if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
    } catch (err) {
      log(`could not remove the topics of stack ${name}: ${String(err)}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };
  return { urls, pids: Object.fromEntries([...children].map(([s, c]) => [s, c.pid!])) as Record<ServiceName, number>, prefix, stop, remove };
}

export const tokenFor = (claims: TokenClaims): string => mintToken(DEV_JWT_SECRET, claims, { expiresIn: '6h' });

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[11] and [12] are utime and stime (the 14th and 15th fields of the line), in clock ticks
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The pids listening on the given TCP ports (the broker and the database started by infra/local). */
export function pidsOf(pidFiles: string[]): number[] {
  const out: number[] = [];
  for (const f of pidFiles) {
    try {
      const pid = Number(readFileSync(f, 'utf8').trim());
      if (pid > 0) out.push(pid);
    } catch {
      // not started by infra/local: not measured
    }
  }
  return out;
}

/**
 * The web console in front of a running stack (its pages read the services' public APIs), on a free
 * port; `stop` ends it.
 */
export async function startConsole(stack: RunningStack, agency: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'apps', 'console', 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      VAOPS_CLIENTS_URL: stack.urls.clients,
      VAOPS_SCHEDULING_URL: stack.urls.scheduling,
      VAOPS_TIME_TRACKING_URL: stack.urls['time-tracking'],
      VAOPS_BILLING_URL: stack.urls.billing,
      VAOPS_ANALYTICS_URL: stack.urls.analytics,
      VAOPS_TOPIC_PREFIX: stack.prefix,
      VAOPS_DEMO_AGENCY: agency,
      VAOPS_JWT_SECRET: DEV_JWT_SECRET,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the console exited with ${child.exitCode}:\n${output}`);
    if (await fetch(`${url}/health/ready`).then((r) => r.status === 200, () => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the console was not ready within 120 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { url, stop };
}
