import { spawn } from 'node:child_process';
import * as path from 'node:path';
import request from 'supertest';
import { startService, tokenFor, type RunningService } from './service-process';
import { uniqueName, waitUntil } from './wait';

// The steps black-box suites share: starting services that talk to each other, their test clocks, the
// tokens of an agency's people, seeding through the clients API, and reading what a write changed.

export const bearer = (token: string): { Authorization: string } => ({ Authorization: `Bearer ${token}` });
export const usd = (amountMinor: number): { amountMinor: number; currency: 'USD' } => ({ amountMinor, currency: 'USD' });

/**
 * Starts the services side by side on one topic prefix of their own, so that each reads what the others
 * publish and nothing another test's services do; `envOf` adds settings of one service. In the order named.
 * When one fails to start, the others are stopped before the failure is thrown (no process outlives it).
 */
export async function startServices(names: readonly string[], env: Record<string, string> = {}, envOf: Record<string, Record<string, string>> = {}): Promise<RunningService[]> {
  const prefix = `${uniqueName(names.join('-')).replace(/[^a-zA-Z0-9]/g, '_')}.`;
  const settled = await Promise.allSettled(names.map((name) => startService(name, { ...env, ...envOf[name], VAOPS_TOPIC_PREFIX: prefix })));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const started = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (failed) {
    await Promise.all(started.map((svc) => svc.stop()));
    throw failed.reason;
  }
  return started;
}

/**
 * The services a suite talks to, on one topic prefix (as `startServices`), declared once at the top of
 * its `describe`: started in a beforeAll hook that runs before the suite's own, stopped in an afterAll.
 * `const [clients, scheduling] = suiteServices(['clients', 'scheduling'], { VAOPS_TEST_CLOCK: '1' })`.
 */
export function suiteServices<const N extends readonly string[]>(names: N, env: Record<string, string> = {}, envOf: Record<string, Record<string, string>> = {}): { [K in keyof N]: RunningService } {
  // handed out now, filled in once the services are up (a started service's fields are plain values and closures)
  const handles = names.map(() => ({}) as RunningService);
  beforeAll(async () => {
    (await startServices(names, env, envOf)).forEach((svc, i) => Object.assign(handles[i], svc));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(handles.filter((h) => h.stop).map((h) => h.stop()));
  });
  return handles as { [K in keyof N]: RunningService };
}

/** Sets the clock of a service started with VAOPS_TEST_CLOCK=1. */
export async function setTestClock(svc: RunningService, token: string, now: string): Promise<void> {
  await request(svc.url).put('/_test/clock').set(bearer(token)).send({ now }).expect(200);
}

export interface AgencyRoles {
  /** The agency's admin (subject `ops-<agency>`), and its claims for what takes them (dieInFlight). */
  admin: string;
  adminClaims: { sub: string; agencyId: string };
  /** Another agency's admin. */
  otherAgency: string;
  /** The admin of the agency named. */
  adminOf(agencyId: string): string;
  /** A client of the agency (subject `c-<id>`), or of the agency named. */
  asClient(clientId: string, agencyId?: string): string;
  /** An assistant of the agency (subject `a-<id>`), or of the agency named. */
  asAssistant(assistantId: string, agencyId?: string): string;
}

/** The tokens of an agency's people, and of another agency's admin. */
export function agencyRoles(agency: string): AgencyRoles {
  const adminOf = (agencyId: string) => tokenFor({ sub: `ops-${agencyId}`, agencyId, role: 'agency-admin' });
  return {
    admin: adminOf(agency),
    adminClaims: { sub: `ops-${agency}`, agencyId: agency },
    otherAgency: adminOf(`${agency}-other`),
    adminOf,
    asClient: (clientId, agencyId = agency) => tokenFor({ sub: `c-${clientId}`, agencyId, role: 'client', clientId }),
    asAssistant: (assistantId, agencyId = agency) => tokenFor({ sub: `a-${assistantId}`, agencyId, role: 'assistant', assistantId }),
  };
}

/** Tokens of people who may not see a record of the agency: another client and another assistant of it, another agency's admin. */
export function outsiders(agencyId: string): { client: string; assistant: string; agency: string } {
  return {
    client: tokenFor({ sub: 'x', agencyId, role: 'client', clientId: '0190a0a0-0000-7000-8000-000000000001' }),
    assistant: tokenFor({ sub: 'y', agencyId, role: 'assistant', assistantId: '0190a0a0-0000-7000-8000-000000000002' }),
    agency: tokenFor({ sub: 'z', agencyId: `${agencyId}-other`, role: 'agency-admin' }),
  };
}

/** POSTs to the clients service and answers the id it created. */
export async function createIn(clients: RunningService, token: string, path: string, body: object): Promise<string> {
  const r = await request(clients.url).post(path).set(bearer(token)).send(body);
  if (r.status !== 201) throw new Error(`POST ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

/** What the suites register unless a test needs otherwise: a client in New York billed in USD, an assistant in London, 2 h a week from 2 March 2026. */
export const SEED = {
  client: { name: 'Client', email: 'c@x.co', timezone: 'America/New_York', currency: 'USD' },
  assistant: { name: 'VA', email: 'va@x.co', timezone: 'Europe/London', weeklyCapacityHours: 40, skills: [], payRate: usd(1200) },
  engagement: { kind: 'part-time', weeklyHours: 2, startsOn: '2026-03-02', noticePeriodDays: 14, phase: 1, plan: { type: 'hourly', rate: usd(4000) } },
};

/** Registers a client and an assistant and starts an engagement between them through the clients API (SEED, with `over` on top). */
export async function seedEngagement(
  clients: RunningService,
  token: string,
  over: { client?: object; assistant?: object; engagement?: object } = {},
): Promise<{ clientId: string; assistantId: string; engagementId: string }> {
  const clientId = await createIn(clients, token, '/clients', { ...SEED.client, ...over.client });
  const assistantId = await createIn(clients, token, '/assistants', { ...SEED.assistant, ...over.assistant });
  const engagementId = await createIn(clients, token, '/engagements', { clientId, assistantId, ...SEED.engagement, ...over.engagement });
  return { clientId, assistantId, engagementId };
}

const until = (svc: RunningService, token: string, path: string, what: string) =>
  waitUntil(async () => (await request(svc.url).get(path).set(bearer(token))).status === 200, { timeoutMs: 30_000, what });

/** Waits until scheduling has heard of the engagement and of both its parties (they travel on different partitions): their agendas of `date` answer. */
export async function untilSchedulingKnows(
  scheduling: RunningService,
  token: string,
  { engagementId, clientId, assistantId }: { engagementId: string; clientId: string; assistantId: string },
  date = '2026-03-02',
): Promise<void> {
  await until(scheduling, token, `/engagements/${engagementId}/scheduling-policy`, 'scheduling to learn the engagement');
  for (const q of [`clientId=${clientId}`, `assistantId=${assistantId}`]) await until(scheduling, token, `/agenda?date=${date}&${q}`, `scheduling to learn ${q}`);
}

/** Waits until time-tracking has heard of the engagement. */
export async function untilTimeTrackingKnows(tt: RunningService, token: string, engagementId: string, what = 'time-tracking to learn the engagement'): Promise<void> {
  await until(tt, token, `/time-entries?engagementId=${engagementId}`, what);
}

export interface ReadYourWrites {
  /** POSTs as `token` (with `correlationId` as its X-Correlation-Id when given) and expects `status`. */
  post(path: string, body: object, token: string, status: number, correlationId?: string): Promise<request.Response>;
  /** GETs as `token` (the default token) at the highest position the writes so far answered (minPosition), and expects `status`. */
  get(path: string, token?: string, status?: number): Promise<request.Response>;
}

/** Calls one running service so that every read waits for the read models to have every write before it; reads as `defaultToken` unless told. */
export function readYourWrites(svc: () => RunningService, defaultToken: string): ReadYourWrites {
  let position = 0;
  return {
    post: async (path, body, token, status, correlationId) => {
      const req = request(svc().url).post(path).set(bearer(token));
      if (correlationId) req.set('X-Correlation-Id', correlationId);
      const r = await req.send(body);
      if (r.status !== status) throw new Error(`POST ${path} answered ${r.status}, expected ${status}: ${JSON.stringify(r.body)}`);
      if (typeof r.body.position === 'number') position = Math.max(position, r.body.position);
      return r;
    },
    // before any write there is nothing to wait for: minPosition 1 (the route takes positions from 1)
    get: (path, token = defaultToken, status = 200) => request(svc().url).get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${Math.max(position, 1)}`).set(bearer(token)).expect(status),
  };
}

/**
 * The people a history names, by subjects a spec can read in its rows: the agency's admin `ops-<tag>`,
 * and for an engagement its client's executive `exec-<tag>` and its assistant `va-<tag>`.
 */
export function namedPeople(agencyId: string, tag: string) {
  return {
    admin: tokenFor({ sub: `ops-${tag}`, agencyId, role: 'agency-admin' }),
    of: ({ clientId, assistantId }: { clientId: string; assistantId: string }) => ({
      client: tokenFor({ sub: `exec-${tag}`, agencyId, role: 'client', clientId }),
      assistant: tokenFor({ sub: `va-${tag}`, agencyId, role: 'assistant', assistantId }),
    }),
  };
}

/** What `engagementSuite` hands a suite: its services, its people's tokens and the engagement, filled in before the suite's own hooks. */
export interface EngagementSuite extends ReadYourWrites {
  clients: RunningService;
  /** The service under test (scheduling or time-tracking). */
  service: RunningService;
  agencyId: string;
  admin: string;
  /** The engagement's client executive (`exec-<tag>`) and assistant (`va-<tag>`). */
  client: string;
  assistant: string;
  engagement: { clientId: string; assistantId: string; engagementId: string };
}

/**
 * A suite about one engagement as `service` sees it, test clocks on: clients and `service` started
 * (`suiteServices`), the agency's people named after `tag` (`namedPeople`), the SEED engagement
 * registered on 2 March 2026 at noon, and `service` waited for until it has heard of it, all before
 * the suite's own hooks. Reads and writes go to `service` through `readYourWrites` as the admin.
 */
export function engagementSuite(service: 'scheduling' | 'time-tracking', tag: string): EngagementSuite {
  const [clients, svc] = suiteServices(['clients', service], { VAOPS_TEST_CLOCK: '1' });
  const agencyId = uniqueName(`agency-${tag}`);
  const people = namedPeople(agencyId, tag);
  const suite: EngagementSuite = { clients, service: svc, agencyId, admin: people.admin, ...readYourWrites(() => svc, people.admin), client: '', assistant: '', engagement: { clientId: '', assistantId: '', engagementId: '' } };
  beforeAll(async () => {
    await setTestClock(clients, people.admin, '2026-03-02T12:00:00Z');
    suite.engagement = await seedEngagement(clients, people.admin);
    Object.assign(suite, people.of(suite.engagement));
    if (service === 'scheduling') await untilSchedulingKnows(svc, people.admin, suite.engagement);
    else await untilTimeTrackingKnows(svc, people.admin, suite.engagement.engagementId);
  }, 120_000);
  return suite;
}

/** One change as a history route lists it (`GET …/history`). */
export interface HistoryItem {
  type: string;
  actor: { sub: string; role?: string };
  at: string;
  reason?: string;
  correlationId: string;
  changes?: Record<string, unknown>;
}

/** A change as a row: [type, actor's sub, when, reason, correlation id]. */
export type HistoryRow = [type: string, sub: string, at: string, reason: string | undefined, correlationId: string];

/** A history answer's items as rows: what, who, when, why, and the correlation id of the request. */
export const historyRows = (items: HistoryItem[]): HistoryRow[] => items.map((i) => [i.type, i.actor.sub, i.at, i.reason, i.correlationId]);

/**
 * A history route's answer lists exactly these changes in order (what, who, when, why and the
 * correlation id of each); resolves with its items, for what each change carried.
 */
export async function expectHistory(answer: Promise<{ body: { items: HistoryItem[] } }>, rows: HistoryRow[]): Promise<HistoryItem[]> {
  const { items } = (await answer).body;
  expect(historyRows(items)).toEqual(rows);
  return items;
}

/**
 * An engagement whose last sign of life (`lastActivityAt`, which the clients service must hear of first)
 * is 4 working days old on `stillActiveOn` is not silent, and on `silentOn`, the 5th, it goes silent since
 * then. Moves the clients service's test clock, and back to `clockAfter` at the end.
 */
export async function expectSilenceAfterFiveWorkingDays(
  clients: RunningService,
  token: string,
  engagementId: string,
  { lastActivityAt, heardOf, stillActiveOn, silentOn, clockAfter }: { lastActivityAt: string; heardOf: string; stillActiveOn: string; silentOn: string; clockAfter: string },
): Promise<void> {
  const engagement = async () => (await request(clients.url).get(`/engagements/${engagementId}`).set(bearer(token)).expect(200)).body;
  await waitUntil(async () => (await engagement()).lastActivityAt === lastActivityAt, { timeoutMs: 30_000, what: `the clients service to hear ${heardOf}` });

  await setTestClock(clients, token, stillActiveOn);
  await new Promise((r) => setTimeout(r, 900)); // several scheduler ticks
  expect((await engagement()).silent).toBeNull();

  await setTestClock(clients, token, silentOn);
  const silent = await waitUntil(async () => {
    const body = await engagement();
    return body.silent ? body : undefined;
  }, { what: 'EngagementWentSilent' });
  expect(silent.silent).toEqual({ since: lastActivityAt });
  await setTestClock(clients, token, clockAfter);
}

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Runs a service's rebuild as ops would (`npm run rebuild`: `apps/<service>/src/rebuild.ts`), every read
 * model or the one `projection` named, against `env` (a running service's servers and topic prefix).
 * Resolves with its exit code and output: a JSON line per read model on stdout, the progress on stderr.
 */
export function runRebuild(service: string, env: Record<string, string>, projection?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const args = ['-r', '@swc-node/register', path.join(ROOT, 'apps', service, 'src', 'rebuild.ts'), ...(projection ? ['--projection', projection] : [])];
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
