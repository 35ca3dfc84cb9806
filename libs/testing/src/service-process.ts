import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { mintToken, DEV_JWT_SECRET, NO_RATE_LIMITS, type TokenClaims } from '@vaops/platform';
import { testServerUrls } from './servers';
import { uniqueName } from './wait';

const ROOT = path.resolve(__dirname, '../../..');
/** The V8 flags every service runs with (infra/service-node-flags.cjs). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const NODE_FLAGS = require(path.join(ROOT, 'infra/service-node-flags.cjs')) as string[];

/** A port nothing listens on now (for a process whose URL must be known before it starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningService {
  url: string;
  env: Record<string, string>;
  process: ChildProcess;
  output: () => string;
  /** SIGTERM, then SIGKILL after 15 s; resolves with how the process ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a service as its own process (the way `npm start` does) on the real servers, with its own
 * database and topic prefix, and waits for /health/ready. Black-box tests then talk HTTP to it.
 */
export async function startService(
  service: string,
  extraEnv: Record<string, string> = {},
): Promise<RunningService> {
  // a port of the caller's choosing when it passes PORT (its URL is then known before the start);
  // else a free one, and another if a process started meanwhile took it (tests start services in parallel)
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(service, extraEnv, extraEnv.PORT ? Number(extraEnv.PORT) : await freePort());
    } catch (err) {
      if (!(err instanceof PortTakenError) || extraEnv.PORT || attempt >= 5) throw err;
    }
  }
}

/** The port went to another process between choosing it and the service's listen. */
class PortTakenError extends Error {}

async function startOn(service: string, extraEnv: Record<string, string>, port: number): Promise<RunningService> {
  // servers of its own (the fault suite's) when given, else the test run's
  const { kafkaBrokers, mongoUrl } = extraEnv.KAFKA_BROKERS && extraEnv.MONGO_URL ? { kafkaBrokers: [extraEnv.KAFKA_BROKERS], mongoUrl: extraEnv.MONGO_URL } : testServerUrls();
  const id = uniqueName(service).replace(/[^a-zA-Z0-9]/g, '_');
  const env: Record<string, string> = {
    PORT: String(port),
    // the address the tests call: a port another process holds on any address is then EADDRINUSE here,
    // whatever the host's IPv6 settings (with bindv6only, '::' would not clash with '0.0.0.0')
    HOST: '127.0.0.1',
    KAFKA_BROKERS: kafkaBrokers.join(','),
    MONGO_URL: `${mongoUrl.replace(/\/$/, '')}/${id}`,
    VAOPS_TOPIC_PREFIX: `${id}.`,
    VAOPS_JWT_SECRET: DEV_JWT_SECRET,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    // the rest of the tests must not depend on how fast this machine is
    ...NO_RATE_LIMITS,
    ...extraEnv,
  };
  let out = '';
  const child = spawn(process.execPath, [...NODE_FLAGS, '-r', '@swc-node/register', path.join(ROOT, `apps/${service}/src/main.ts`)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const ended = await done;
    clearTimeout(timer);
    return ended;
  };
  // ready means this process says it listens on the port (another one may answer there: ports are
  // chosen before the start) and its readiness check passes; an exit ends the wait at once
  // only the service's own line: a failure's log line names the port too ("address already in use
  // 127.0.0.1:<port>"), and taking it for the service while an impostor answers there failed CI once
  const listening = new RegExp(`listening on http://(localhost|127\\.0\\.0\\.1):${port}(?![0-9])`);
  const saysListening = () => listening.test(out);
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        if (/EADDRINUSE/.test(out)) throw new PortTakenError(`port ${port} was taken before ${service} listened on it`);
        throw new Error(`${service} exited with ${child.exitCode ?? child.signalCode}`);
      }
      if (saysListening() && (await fetch(`${url}/health/ready`).catch(() => undefined))?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`timed out after 60000 ms waiting for ${service} to be ready`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    await stop();
    if (err instanceof PortTakenError) throw err;
    throw new Error(`${String(err)}\n--- ${service} output ---\n${out}`);
  }
  return { url, env, process: child, output: () => out, stop };
}

/** A token signed with the dev secret the test services run with. */
export const tokenFor = (claims: TokenClaims): string => mintToken(DEV_JWT_SECRET, claims, { expiresIn: '1h' });
