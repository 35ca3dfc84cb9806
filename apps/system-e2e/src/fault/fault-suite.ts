import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { DateTime } from 'luxon';
import { startService, tokenFor, type RunningService } from '@vaops/testing';

/**
 * The fault suite (issue 12): the five services run as processes on their OWN Kafka broker and FerretDB
 * server (infra profile `fault`, which nothing else uses, since both are SIGKILLed), a steady load of
 * commands goes to every service that takes commands, and meanwhile each service is SIGKILLed and
 * restarted in turn, then the broker, then the database, then consumer groups are made to rebalance
 * again and again by instances that join and die. Afterwards it counts:
 * - every acknowledged write is visible exactly once, and no write (acknowledged or not) twice;
 * - analytics' logged minutes (a projected `$inc`) equal the time-tracking entries they came from;
 * - a rebuild of every read model equals the live one;
 * - every dead-letter topic is empty.
 * Every write carries an Idempotency-Key and is retried with it until it is answered, the way a careful
 * client retries through a crash; a unique marker in each write's payload finds its copies.
 */

const ROOT = path.resolve(__dirname, '../../../..');
// infra.cjs is plain CommonJS (it is also a CLI)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const infra = require(path.join(ROOT, 'infra/local/infra.cjs')) as {
  up(o: { profile: string; fresh?: boolean }): Promise<{ kafkaBrokers: string; mongoUrl: string }>;
  down(o: { profile: string; quiet?: boolean }): Promise<void>;
  kill(o: { profile: string; server: 'kafka' | 'ferretdb' }): Promise<number>;
};

export interface FaultSuiteSize {
  name: 'ci' | 'large';
  assistants: number;
  clients: number;
  /** Requests in flight at once. */
  workers: number;
  /** Steady load between two faults, in ms. */
  quietMs: number;
  /** How long a killed part stays dead. */
  deadMs: number;
  /** Rounds of the whole schedule (each service, the broker, the database, the storm). */
  rounds: number;
  /** Rebalance storm: rounds of extra instances joining and dying, and which services get them. */
  stormRounds: number;
  stormServices: Service[];
}

export const SIZES: Record<'ci' | 'large', FaultSuiteSize> = {
  ci: { name: 'ci', assistants: 4, clients: 6, workers: 4, quietMs: 3_000, deadMs: 1_500, rounds: 1, stormRounds: 2, stormServices: ['time-tracking', 'analytics'] },
  large: { name: 'large', assistants: 20, clients: 60, workers: 8, quietMs: 15_000, deadMs: 5_000, rounds: 2, stormRounds: 4, stormServices: ['clients', 'scheduling', 'time-tracking', 'billing', 'analytics'] },
};

export type Service = 'clients' | 'scheduling' | 'time-tracking' | 'billing' | 'analytics';
const SERVICES: Service[] = ['clients', 'scheduling', 'time-tracking', 'billing', 'analytics'];

type WriteKind = 'client' | 'assistant' | 'engagement' | 'appointment' | 'time-entry' | 'billing-run';

export interface FaultRecord {
  fault: string;
  /** From the kill until the part answered again (ready), ms. */
  recoveredMs: number;
  /** Writes acknowledged while the fault lasted (kill to ready). */
  ackedMeanwhile: number;
}

export interface FaultReport {
  size: string;
  durationSeconds: number;
  writes: Record<WriteKind, { attempted: number; acknowledged: number; refused: number; gaveUp: number; retries: number }>;
  faults: FaultRecord[];
  /** Ms from the end of the load until every check below held. */
  settledMs: number | null;
  visible: { missing: string[]; duplicated: string[] };
  /** What the last check could not read (a list or an agenda that did not answer 200), and how each missing appointment reads by id. */
  unexplained: string[];
  loggedMinutes: { assistants: number; mismatched: string[] };
  rebuild: { readModels: number; equal: number; failed: string[] };
  deadLetters: Record<string, number>;
  refusals: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const AGENCY = 'agency-fault';
const admin = tokenFor({ sub: 'ops-fault', agencyId: AGENCY, role: 'agency-admin' });
const PREFIX = 'fault.';
const dbName = (s: Service) => `fault_${s.replace(/-/g, '_')}`;
const DAY_MS = 86_400_000;

/** Monday 00:00 UTC of the ISO week `weeksAgo` weeks before now's. */
function mondayUtc(weeksAgo: number, now = Date.now()): Date {
  const d = new Date(now);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day - 7 * weeksAgo));
}
const isoWeekOf = (d: Date): string => {
  const t = DateTime.fromJSDate(d, { zone: 'utc' });
  return `${t.weekYear}-W${String(t.weekNumber).padStart(2, '0')}`;
};

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** The five services as processes; a killed one is started again on the same database and topics. */
class Stack {
  readonly running = new Map<Service, RunningService>();
  readonly extras: RunningService[] = [];
  constructor(readonly env: (s: Service) => Record<string, string>) {}

  async startAll(): Promise<void> {
    const started = await Promise.all(SERVICES.map(async (s) => [s, await startService(s, this.env(s))] as const));
    for (const [s, r] of started) this.running.set(s, r);
  }
  url(s: Service): string {
    return this.running.get(s)!.url;
  }
  async restart(s: Service): Promise<void> {
    this.running.set(s, await startService(s, this.env(s)));
  }
  kill(s: Service): void {
    this.running.get(s)!.process.kill('SIGKILL');
  }
  async stopAll(): Promise<void> {
    await Promise.all([...this.running.values(), ...this.extras].map((r) => r.stop()));
  }
}

async function call(url: string, method: string, route: string, body?: object, key?: string): Promise<Answer> {
  try {
    const r = await fetch(`${url}${route}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await r.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text };
    }
    return { status: r.status, body: parsed };
  } catch (err) {
    return { status: 0, body: { error: String(err) } };
  }
}

/** Worth retrying with the same key: nobody answered, the service or what it stands on was down, or it is still deciding. */
const transient = (a: Answer, parentAcked: boolean) =>
  a.status === 0 ||
  a.status >= 500 ||
  a.status === 429 ||
  (a.status === 409 && a.body.code === 'IDEMPOTENCY.IN_FLIGHT') ||
  (a.status === 409 && a.body.code === 'READ_MODEL.BEHIND') ||
  // another service has not heard of an acknowledged engagement or assistant yet (eventual consistency)
  (a.status === 404 && parentAcked);

export async function runFaultSuite(size: FaultSuiteSize, log: (line: string) => void = (l) => process.stderr.write(`[fault] ${l}\n`)): Promise<FaultReport> {
  const started = Date.now();
  const servers = await infra.up({ profile: 'fault', fresh: true });
  const env = (s: Service): Record<string, string> => ({
    KAFKA_BROKERS: servers.kafkaBrokers,
    MONGO_URL: `${servers.mongoUrl.replace(/\/$/, '')}/${dbName(s)}`,
    VAOPS_TOPIC_PREFIX: PREFIX,
    // the clients service's clock is set back for the setup (below); the others run on real time
    ...(s === 'clients' ? { VAOPS_TEST_CLOCK: '1' } : {}),
  });
  const stack = new Stack(env);
  const kinds: WriteKind[] = ['client', 'assistant', 'engagement', 'appointment', 'time-entry', 'billing-run'];
  const writes = Object.fromEntries(kinds.map((k) => [k, { attempted: 0, acknowledged: 0, refused: 0, gaveUp: 0, retries: 0 }])) as FaultReport['writes'];
  const refusals: string[] = [];
  let acked = 0;
  try {
    log(`servers up at ${servers.kafkaBrokers} and ${servers.mongoUrl}; starting the five services`);
    await stack.startAll();

    /** One write, retried with its key until answered for good (or 150 s: longer than a dead request's 60 s hold on its key). */
    const write = async (kind: WriteKind, svc: Service, route: string, body: object, parentAcked = true): Promise<Record<string, unknown> | undefined> => {
      const key = randomUUID();
      const w = writes[kind];
      w.attempted++;
      const deadline = Date.now() + 150_000;
      for (let attempt = 0; ; attempt++) {
        const a = await call(stack.url(svc), 'POST', route, body, key);
        if (a.status >= 200 && a.status < 300) {
          w.acknowledged++;
          acked++;
          return a.body;
        }
        if (!transient(a, parentAcked)) {
          w.refused++;
          refusals.push(`${kind} ${route}: ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
          return undefined;
        }
        if (Date.now() > deadline) {
          w.gaveUp++;
          return undefined;
        }
        w.retries++;
        await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)));
      }
    };

    // ---------------------------------------------------------------- the agency, set up before the faults
    // Assistants are registered "three weeks ago" (the clients service's test clock), so analytics counts
    // them in the week the load logs time in: two weeks ago, Monday to Sunday, UTC (assistants live in UTC).
    const week0 = mondayUtc(2);
    const week = isoWeekOf(week0);
    const startsOn = mondayUtc(3).toISOString().slice(0, 10);
    const put = await call(stack.url('clients'), 'PUT', '/_test/clock', { now: mondayUtc(3).toISOString() });
    if (put.status !== 200) throw new Error(`setting the clients clock answered ${put.status}`);
    const settings = await call(stack.url('clients'), 'PUT', '/agency/settings', { timezone: 'UTC', minimumNoticeHours: 1, bufferMinutes: 0, roundingMinutes: 0, roundingMode: 'up', silenceWorkingDays: 60 });
    if (settings.status !== 200) throw new Error(`agency settings answered ${settings.status}: ${JSON.stringify(settings.body)}`);
    const allWeek = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' }));
    const assistants: string[] = [];
    const clients: string[] = [];
    const markers = { client: new Map<string, string>(), appointment: new Map<string, string>(), 'time-entry': new Map<string, string>() };
    const newClient = async () => {
      const marker = `F-${randomUUID()}`;
      const r = await write('client', 'clients', '/clients', { name: marker, email: 'ops@client.example', timezone: 'America/New_York', currency: 'USD' });
      markers.client.set(marker, (r?.id as string | undefined) ?? '');
      if (r) clients.push(r.id as string);
    };
    for (let i = 0; i < size.assistants; i++) {
      const r = await write('assistant', 'clients', '/assistants', { name: `VA ${i}`, email: `va${i}@va.example`, timezone: 'UTC', weeklyCapacityHours: 40, skills: [], payRate: { amountMinor: 1500, currency: 'USD' }, workingHours: allWeek });
      if (r) assistants.push(r.id as string);
    }
    for (let i = 0; i < size.clients; i++) await newClient();
    log(`registered ${assistants.length} assistants and ${clients.length} clients; the load logs time in ${week}`);

    // ---------------------------------------------------------------- the steady load
    const engagements: { id: string; clientId: string; assistantId: string }[] = [];
    const pairs = new Set<string>();
    const nextEntry = new Map<string, number>();
    const nextSlot = new Map<string, number>();
    const future = mondayUtc(-2); // appointments two weeks ahead, 45-minute steps per assistant
    const startEngagement = async () => {
      const clientId = clients[Math.floor(Math.random() * clients.length)];
      const assistantId = assistants[Math.floor(Math.random() * assistants.length)];
      // one hour a week each: an assistant's 40 h of capacity holds 40
      const load = engagements.filter((e) => e.assistantId === assistantId).length;
      if (!clientId || !assistantId || pairs.has(`${clientId}/${assistantId}`) || load >= 36) return newClient();
      pairs.add(`${clientId}/${assistantId}`);
      const r = await write('engagement', 'clients', '/engagements', { clientId, assistantId, kind: 'part-time', weeklyHours: 1, startsOn, noticePeriodDays: 14, plan: { type: 'hourly', rate: { amountMinor: 3000, currency: 'USD' } } });
      if (r) engagements.push({ id: r.id as string, clientId, assistantId });
    };
    const logTime = async () => {
      const e = engagements[Math.floor(Math.random() * engagements.length)];
      const k = nextEntry.get(e.assistantId) ?? 0;
      if (k >= 900) return;
      nextEntry.set(e.assistantId, k + 1);
      const startedAt = new Date(week0.getTime() + k * 11 * 60_000); // 10 minutes every 11: never overlapping
      const marker = `F-${randomUUID()}`;
      const r = await write('time-entry', 'time-tracking', '/time-entries', { engagementId: e.id, category: 'data-entry', startedAt: startedAt.toISOString(), endedAt: new Date(startedAt.getTime() + 10 * 60_000).toISOString(), billable: true, notes: marker });
      markers['time-entry'].set(marker, (r?.id as string | undefined) ?? '');
    };
    const book = async () => {
      const e = engagements[Math.floor(Math.random() * engagements.length)];
      const k = nextSlot.get(e.assistantId) ?? 0;
      nextSlot.set(e.assistantId, k + 1);
      const startsAt = new Date(future.getTime() + k * 45 * 60_000);
      const marker = `F-${randomUUID()}`;
      const r = await write('appointment', 'scheduling', '/appointments', { engagementId: e.id, kind: 'check-in', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 30 * 60_000).toISOString(), title: marker });
      markers.appointment.set(marker, (r?.id as string | undefined) ?? '');
    };
    const billingRun = async () => {
      await write('billing-run', 'billing', '/billing-runs', { period: week0.toISOString().slice(0, 7) }, false);
    };
    let loading = true;
    const worker = async () => {
      while (loading) {
        const roll = Math.random();
        if (engagements.length < assistants.length || roll < 0.12) await startEngagement();
        else if (roll < 0.17) await newClient();
        else if (roll < 0.2) await billingRun();
        else if (roll < 0.55) await book();
        else await logTime();
      }
    };
    const load = Promise.all(Array.from({ length: size.workers }, worker));

    // ---------------------------------------------------------------- the faults
    const faults: FaultRecord[] = [];
    const ready = async (url: string) => (await call(url, 'GET', '/health/ready')).status === 200;
    const allReady = async (deadlineMs: number) => {
      const deadline = Date.now() + deadlineMs;
      while (Date.now() < deadline) {
        if ((await Promise.all(SERVICES.map((s) => ready(stack.url(s))))).every(Boolean)) return;
        await sleep(250);
      }
      throw new Error(`the services were not all ready within ${deadlineMs / 1000} s after a fault`);
    };
    const fault = async (name: string, act: () => Promise<void>) => {
      const before = acked;
      const t = Date.now();
      await act();
      await allReady(180_000);
      faults.push({ fault: name, recoveredMs: Date.now() - t, ackedMeanwhile: acked - before });
      log(`${name}: recovered in ${((Date.now() - t) / 1000).toFixed(1)} s, ${acked - before} writes acknowledged meanwhile (${acked} in all)`);
      await sleep(size.quietMs);
    };
    await sleep(size.quietMs);
    for (let round = 0; round < size.rounds; round++) {
      for (const s of SERVICES) {
        await fault(`SIGKILL ${s}`, async () => {
          stack.kill(s);
          await sleep(size.deadMs);
          await stack.restart(s);
        });
      }
      await fault('SIGKILL the Kafka broker', async () => {
        await infra.kill({ profile: 'fault', server: 'kafka' });
        await sleep(size.deadMs);
        await infra.up({ profile: 'fault' });
      });
      await fault('SIGKILL the MongoDB-compatible server', async () => {
        await infra.kill({ profile: 'fault', server: 'ferretdb' });
        await sleep(size.deadMs);
        await infra.up({ profile: 'fault' });
      });
      await fault(`rebalance storm (${size.stormRounds} rounds of ${size.stormServices.join(', ')} instances joining and dying)`, async () => {
        for (let i = 0; i < size.stormRounds; i++) {
          const extra = await Promise.all(size.stormServices.map((s) => startService(s, env(s))));
          stack.extras.push(...extra);
          await sleep(1_000);
          // half die as in a crash, half leave politely
          await Promise.all(extra.map((r, j) => (j % 2 === 0 ? Promise.resolve(r.process.kill('SIGKILL')) : r.stop())));
        }
      });
    }
    loading = false;
    await load;
    const loadEnded = Date.now();
    log(`load stopped: ${acked} writes acknowledged; checking`);

    // ---------------------------------------------------------------- the checks, once everything has settled
    const visible = { missing: [] as string[], duplicated: [] as string[] };
    let unexplained: string[] = [];
    const loggedMinutes = { assistants: 0, mismatched: [] as string[] };
    const check = async (): Promise<boolean> => {
      visible.missing = [];
      visible.duplicated = [];
      loggedMinutes.mismatched = [];
      unexplained = [];
      const count = (names: string[], want: Map<string, string>, kind: string) => {
        const seen = new Map<string, number>();
        for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1);
        for (const [marker, id] of want) {
          const n = seen.get(marker) ?? 0;
          if (n > 1) visible.duplicated.push(`${kind} ${marker} x${n}`);
          if (id && n === 0) visible.missing.push(`${kind} ${id}`);
        }
      };
      count((await pages(stack.url('clients'), '/clients')).map((c) => c.name as string), markers.client, 'client');
      const listedEngagements = await pages(stack.url('clients'), '/engagements');
      const ids = new Set(listedEngagements.map((e) => e.id as string));
      for (const e of engagements) if (!ids.has(e.id)) visible.missing.push(`engagement ${e.id}`);
      const perPair = new Map<string, number>();
      for (const e of listedEngagements) perPair.set(`${e.clientId}/${e.assistantId}`, (perPair.get(`${e.clientId}/${e.assistantId}`) ?? 0) + 1);
      for (const [pair, n] of perPair) if (n > 1) visible.duplicated.push(`engagement ${pair} x${n}`);
      const entries = await pages(stack.url('time-tracking'), '/time-entries');
      count(entries.map((e) => e.notes as string), markers['time-entry'], 'time-entry');
      const titles: string[] = [];
      for (const a of assistants) {
        for (let d = 0; d * 32 < (nextSlot.get(a) ?? 0); d++) {
          const date = new Date(future.getTime() + d * DAY_MS).toISOString().slice(0, 10);
          const r = await call(stack.url('scheduling'), 'GET', `/agenda?date=${date}&assistantId=${a}`);
          if (r.status !== 200) unexplained.push(`GET /agenda?date=${date}&assistantId=${a} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
          for (const i of (r.body.items as { title?: string }[] | undefined) ?? []) if (i.title) titles.push(i.title);
        }
      }
      count(titles, markers.appointment, 'appointment');
      for (const m of visible.missing.filter((x) => x.startsWith('appointment ')).slice(0, 5)) {
        const r = await call(stack.url('scheduling'), 'GET', `/appointments/${m.slice('appointment '.length)}`);
        unexplained.push(`GET /${m.replace(' ', 's/')} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
      }
      // analytics' logged minutes of the week, an $inc per entry, against the entries time-tracking holds
      const byAssistant = new Map<string, number>();
      const assistantOf = new Map(listedEngagements.map((e) => [e.id as string, e.assistantId as string]));
      for (const e of entries) {
        const a = assistantOf.get(e.engagementId as string) ?? `(engagement ${String(e.engagementId)})`;
        byAssistant.set(a, (byAssistant.get(a) ?? 0) + (e.actualMinutes as number));
      }
      const rows = await pages(stack.url('analytics'), `/analytics/utilization?week=${week}`);
      loggedMinutes.assistants = rows.length;
      for (const a of assistants) {
        const row = rows.find((r) => r.assistantId === a);
        const want = byAssistant.get(a) ?? 0;
        if (row?.loggedMinutes !== want) loggedMinutes.mismatched.push(`${a}: analytics ${String(row?.loggedMinutes)} vs time-tracking ${want}`);
      }
      return visible.missing.length === 0 && visible.duplicated.length === 0 && loggedMinutes.mismatched.length === 0;
    };
    let settledMs: number | null = null;
    const settleDeadline = Date.now() + 180_000;
    for (;;) {
      if (await check()) {
        settledMs = Date.now() - loadEnded;
        break;
      }
      // a duplicate never goes away: no point waiting for it
      if (visible.duplicated.length > 0 || Date.now() > settleDeadline) break;
      await sleep(1_000);
    }
    log(`read models ${settledMs === null ? 'did NOT settle' : `settled ${(settledMs / 1000).toFixed(1)} s after the load`}`);

    const rebuild = await rebuildAll(servers, log);
    const deadLetters = await dlqCounts(servers.kafkaBrokers);
    return { size: size.name, durationSeconds: Math.round((Date.now() - started) / 1000), writes, faults, settledMs, visible, unexplained, loggedMinutes, rebuild, deadLetters, refusals };
  } finally {
    await stack.stopAll().catch(() => undefined);
    await infra.down({ profile: 'fault', quiet: true });
    rmSync(path.join(ROOT, '.infra', 'run', 'fault'), { recursive: true, force: true });
  }
}

/** Every item of a paged list (`items`, `nextCursor`). */
async function pages(url: string, route: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const r = await call(url, 'GET', `${route}${route.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (r.status !== 200) throw new Error(`GET ${route} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
    out.push(...((r.body.items as Record<string, unknown>[]) ?? []));
    cursor = (r.body.nextCursor as string | null) ?? null;
  } while (cursor);
  return out;
}

/** `npm run rebuild:all` against the fault suite's databases, with the services still running. */
async function rebuildAll(servers: { kafkaBrokers: string; mongoUrl: string }, log: (l: string) => void): Promise<FaultReport['rebuild']> {
  const work = mkdtempSync(path.join(tmpdir(), 'vaops-fault-'));
  const summary = path.join(work, 'rebuild.json');
  const mongo = servers.mongoUrl.replace(/\/$/, '');
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_BROKERS: servers.kafkaBrokers, VAOPS_TOPIC_PREFIX: PREFIX, MONGO_URL: `${mongo}/unused`, LOG_LEVEL: 'warn' };
  for (const s of SERVICES) env[`MONGO_URL_${s.toUpperCase().replace(/-/g, '_')}`] = `${mongo}/${dbName(s)}`;
  let output = '';
  await new Promise<void>((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/rebuild.mjs'), '--all', '--json-summary', summary], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', () => resolve());
  });
  try {
    const rows = (JSON.parse(readFileSync(summary, 'utf8')) as { rows: { service: string; projection: string; equal: boolean | null; error: string | null }[] }).rows;
    const failed = rows.filter((r) => r.error !== null || r.equal !== true).map((r) => `${r.service}/${r.projection}: ${r.error ?? 'not equal'}`);
    log(`rebuild: ${rows.length - failed.length} of ${rows.length} read models equal their rebuild`);
    return { readModels: rows.length, equal: rows.length - failed.length, failed };
  } catch {
    return { readModels: 0, equal: 0, failed: [`rebuild reported nothing:\n${output.slice(-3000)}`] };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Messages in every dead-letter topic of the suite's prefix. */
async function dlqCounts(brokers: string): Promise<Record<string, number>> {
  const admin = new Kafka({ brokers: brokers.split(','), clientId: 'vaops-fault-suite', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(PREFIX) && t.endsWith('.dlq'));
    const out: Record<string, number> = {};
    for (const t of topics) out[t] = (await admin.fetchTopicOffsets(t)).reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
    return out;
  } finally {
    await admin.disconnect();
  }
}

/** The report as the table the suite prints. */
export function formatReport(r: FaultReport): string {
  const lines = [`fault suite (${r.size}) in ${r.durationSeconds} s`, '', 'writes        attempted  acknowledged  refused  gave up  retries'];
  for (const [k, w] of Object.entries(r.writes)) lines.push(`${k.padEnd(12)}  ${String(w.attempted).padStart(9)}  ${String(w.acknowledged).padStart(12)}  ${String(w.refused).padStart(7)}  ${String(w.gaveUp).padStart(7)}  ${String(w.retries).padStart(7)}`);
  lines.push('', 'fault                                                     recovered  acked meanwhile');
  for (const f of r.faults) lines.push(`${f.fault.slice(0, 56).padEnd(56)}  ${`${(f.recoveredMs / 1000).toFixed(1)} s`.padStart(9)}  ${String(f.ackedMeanwhile).padStart(15)}`);
  lines.push(
    '',
    `settled: ${r.settledMs === null ? 'NO' : `${(r.settledMs / 1000).toFixed(1)} s after the load`}`,
    `missing: ${r.visible.missing.length}, duplicated: ${r.visible.duplicated.length}`,
    `analytics logged minutes: ${r.loggedMinutes.assistants} assistants, ${r.loggedMinutes.mismatched.length} differ from time-tracking`,
    `rebuild: ${r.rebuild.equal} of ${r.rebuild.readModels} read models equal`,
    `dead letters: ${Object.values(r.deadLetters).reduce((a, b) => a + b, 0)} in ${Object.keys(r.deadLetters).length} DLQ topics`,
    `refused writes: ${r.refusals.length}`,
  );
  for (const x of [...r.visible.missing, ...r.visible.duplicated, ...r.loggedMinutes.mismatched, ...r.rebuild.failed, ...r.refusals].slice(0, 20)) lines.push(`  ${x}`);
  if (r.unexplained.length > 0) lines.push('what the last check could not read:', ...r.unexplained.slice(0, 20).map((x) => `  ${x}`));
  return lines.join('\n');
}
