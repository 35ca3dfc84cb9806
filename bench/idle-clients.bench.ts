/**
 * What a service's MongoDB clients cost at rest: two connected clients (a service holds two, its store and
 * the keyring) doing nothing for BENCH_IDLE_S seconds (20), as `connectMongo` makes them (the pool's
 * minimum-size check once a second) versus as mongoose makes them by default (the driver's check every
 * 100 ms). Each side runs in its own process, both at once, and reports its own CPU time
 * (`process.cpuUsage`), so what else the machine does does not count.
 *
 *   MONGO_URL=mongodb://127.0.0.1:37017/ node -r @swc-node/register bench/idle-clients.bench.ts
 */
import { spawn } from 'node:child_process';
import mongoose, { type Connection } from 'mongoose';
import { connectMongo } from '@vaops/mongo';
import { emitResult, log, printTable, round, runBench } from './common';

const BENCH = 'idle-clients';
const CLIENTS = 2;

/** The child: connects CLIENTS clients one way, waits, then prints its CPU share of one core while idle. */
async function child(mode: 'connectMongo' | 'driver-default', mongoUrl: string, seconds: number): Promise<void> {
  const conns: Connection[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const dbName = `bench_idle_${i}`;
    const conn = mode === 'connectMongo' ? await connectMongo(mongoUrl, dbName) : await mongoose.createConnection(mongoUrl, { dbName, retryWrites: false }).asPromise();
    await conn.db!.command({ ping: 1 });
    conns.push(conn);
  }
  await new Promise((r) => setTimeout(r, 2_000)); // past the connections' set-up
  const before = process.cpuUsage();
  const started = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const used = process.cpuUsage(before);
  const percent = ((used.user + used.system) / 1000 / (Date.now() - started)) * 100;
  for (const c of conns) await c.close();
  process.stdout.write(`${JSON.stringify({ mode, percent })}\n`);
}

function runChild(mode: string, seconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-r', '@swc-node/register', __filename, '--child', mode], { env: { ...process.env, BENCH_IDLE_S: String(seconds) }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('close', (code) => {
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line) return reject(new Error(`${mode} child exited ${code}`));
      resolve((JSON.parse(line) as { percent: number }).percent);
    });
  });
}

const mongoUrl = process.env.MONGO_URL;
const seconds = Number(process.env.BENCH_IDLE_S || 20);
const childMode = process.argv[process.argv.indexOf('--child') + 1];

if (process.argv.includes('--child')) {
  runBench(() => child(childMode as 'connectMongo' | 'driver-default', mongoUrl!, seconds));
} else {
  runBench(async () => {
    if (!mongoUrl) throw new Error('MONGO_URL must be set (bench/run.mjs sets it)');
    log(`${CLIENTS} idle clients per process, ${seconds} s, both processes at once`);
    const [ours, driver] = await Promise.all([runChild('connectMongo', seconds), runChild('driver-default', seconds)]);
    const ratio = ours / driver;
    printTable(`${BENCH} (${CLIENTS} clients, ${seconds} s idle)`, [
      ['connectMongo (pool check every 1 s)', `${round(ours, 3)} % of a core`],
      ['driver default (pool check every 100 ms)', `${round(driver, 3)} % of a core`],
      ['ratio ours ÷ default (lower is quieter)', Number(ratio.toPrecision(3))],
    ]);
    emitResult({ bench: BENCH, ratio: Number(ratio.toPrecision(3)), ratioOf: 'idle CPU of connectMongo clients ÷ idle CPU of default mongoose clients', n: CLIENTS, rates: { numerator: round(ours, 3), denominator: round(driver, 3) }, seconds });
  });
}
