import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import type { Connection } from 'mongoose';
import { connectMongo } from '@vaops/mongo';
import type { RebuildSummaryRow } from '@vaops/platform';
import { startService, testServerUrls, tokenFor, uniqueName, waitUntil, type RunningService } from '@vaops/testing';

const ROOT = path.resolve(__dirname, '../../..');
/** Every service with a rebuild entry, found the way `npm run rebuild -- --all` finds them. */
const SERVICES = readdirSync(path.join(ROOT, 'apps'))
  .filter((d) => existsSync(path.join(ROOT, 'apps', d, 'src', 'rebuild.ts')))
  .sort();

type Row = RebuildSummaryRow;

/**
 * `npm run rebuild -- --all` for real: every service started on one topic prefix, each with its own
 * database (handed to the rebuild as MONGO_URL_<SERVICE>), some data through clients, time-tracking and
 * billing, then every read model of every service rebuilt one after another with a summary table; a
 * damaged read model makes it fail with "not equal", and `--force` repairs it.
 */
describe('npm run rebuild -- --all', () => {
  jest.setTimeout(300_000);
  const running = new Map<string, RunningService>();
  const svc = (name: string) => running.get(name)!;
  const agency = uniqueName('agency-rb');
  const admin = tokenFor({ sub: 'ops', agencyId: agency, role: 'agency-admin' });
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
  let prefix: string;
  let work: string;
  let clientId: string;
  let clientsDb: Connection;

  const rebuildAll = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string; summary: { ok: boolean; services: string[]; rows: Row[] } }>((resolve) => {
      const file = path.join(work, `${uniqueName('summary')}.json`);
      const env: Record<string, string | undefined> = { ...process.env, KAFKA_BROKERS: testServerUrls().kafkaBrokers.join(','), MONGO_URL: testServerUrls().mongoUrl, VAOPS_TOPIC_PREFIX: prefix };
      for (const [name, s] of running) env[`MONGO_URL_${name.toUpperCase().replace(/-/g, '_')}`] = s.env.MONGO_URL;
      const child = spawn(process.execPath, [path.join(ROOT, 'scripts/rebuild.mjs'), '--all', ...args, '--json-summary', file], { cwd: ROOT, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stdout, stderr, summary: existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { ok: false, services: [], rows: [] } }));
    });
  /** The summary table's line of one read model. */
  const tableLine = (stdout: string, projection: string) => stdout.split('\n').find((l) => l.split(/\s+/)[1] === projection) ?? '';

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'vaops-rebuild-all-'));
    prefix = `${uniqueName('rb').replace(/[^a-zA-Z0-9]/g, '_')}.`;
    const withClock = new Set(['clients', 'time-tracking']);
    const started = await Promise.all(SERVICES.map((name) => startService(name, { VAOPS_TOPIC_PREFIX: prefix, ...(withClock.has(name) ? { VAOPS_TEST_CLOCK: '1' } : {}) })));
    SERVICES.forEach((name, i) => running.set(name, started[i]));
    await request(svc('clients').url).put('/_test/clock').set(auth(admin)).send({ now: '2026-03-02T12:00:00Z' }).expect(200);
    await request(svc('time-tracking').url).put('/_test/clock').set(auth(admin)).send({ now: '2026-03-20T12:00:00Z' }).expect(200);
    clientsDb = await connectMongo(testServerUrls().mongoUrl, new URL(svc('clients').env.MONGO_URL).pathname.slice(1));
  }, 240_000);
  afterAll(async () => {
    await Promise.all([...running.values()].map((s) => s.stop()));
    await clientsDb?.close().catch(() => undefined);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('finds every service with a rebuild entry (at least the four that read the log today)', () => {
    expect(SERVICES).toEqual(expect.arrayContaining(['billing', 'clients', 'scheduling', 'time-tracking']));
  });

  it('rebuilds every read model of every service, one after another, and sums it up in a table', async () => {
    // data for the read models of every service: a client, an assistant, an engagement, approved time, an invoice
    const post = async (service: string, url: string, body: object, token = admin) => {
      const r = await request(svc(service).url).post(url).set(auth(token)).send(body);
      if (r.status >= 300) throw new Error(`POST ${service} ${url} answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    clientId = (await post('clients', '/clients', { name: 'Jones Realty', email: 'c@x.co', timezone: 'America/New_York', currency: 'USD' })).id;
    const assistantId = (await post('clients', '/assistants', { name: 'VA', email: 'va@x.co', timezone: 'Europe/London', weeklyCapacityHours: 40, skills: [], payRate: { amountMinor: 1200, currency: 'USD' } })).id;
    const engagementId = (
      await post('clients', '/engagements', { clientId, assistantId, kind: 'part-time', weeklyHours: 2, startsOn: '2026-03-02', noticePeriodDays: 14, phase: 1, plan: { type: 'hourly', rate: { amountMinor: 4000, currency: 'USD' } } })
    ).id;
    await waitUntil(async () => (await request(svc('time-tracking').url).get(`/time-entries?engagementId=${engagementId}`).set(auth(admin))).status === 200, { timeoutMs: 30_000, what: 'time-tracking to learn the engagement' });
    const asAssistant = tokenFor({ sub: `a-${assistantId}`, agencyId: agency, role: 'assistant', assistantId });
    const asClient = tokenFor({ sub: `c-${clientId}`, agencyId: agency, role: 'client', clientId });
    await post('time-tracking', '/time-entries', { engagementId, category: 'data-entry', startedAt: '2026-03-09T10:00:00Z', endedAt: '2026-03-09T11:30:00Z', billable: true }, asAssistant);
    await post('time-tracking', `/timesheets/${engagementId}/2026-W11/submit`, {}, asAssistant);
    await post('time-tracking', `/timesheets/${engagementId}/2026-W11/approve`, {}, asClient);
    await waitUntil(
      async () => (await request(svc('billing').url).get(`/payouts?period=2026-03&assistantId=${assistantId}`).set(auth(admin))).body.items?.[0]?.billedMinutes === 90,
      { timeoutMs: 30_000, what: 'billing to learn the approved time' },
    );
    expect((await post('billing', '/billing-runs', { period: '2026-03' })).invoices).toHaveLength(1);

    const out = await rebuildAll();
    expect({ code: out.code, stderr: out.code === 0 ? '' : out.stderr }).toEqual({ code: 0, stderr: '' });
    expect(out.summary.ok).toBe(true);
    expect(out.summary.services).toEqual(SERVICES);
    expect([...new Set(out.summary.rows.map((r) => r.service))]).toEqual(SERVICES);
    for (const r of out.summary.rows) expect(r).toMatchObject({ equal: true, swapped: true, error: null, events: expect.any(Number), seconds: expect.any(Number) });
    expect(out.summary.rows.map((r) => r.projection)).toEqual(expect.arrayContaining(['clients.client-directory', 'billing.approved-time', 'billing.invoices', 'billing.clients-facts']));
    expect(out.summary.rows.find((r) => r.projection === 'clients.client-directory')!.events).toBeGreaterThan(0);
    // the existing per-service output, then the table
    for (const name of SERVICES) expect(out.stderr).toContain(`=== ${name} (`);
    expect(out.stderr).toMatch(/ev\/s ETA/);
    expect(out.stdout).toMatch(/^service\s+projection\s+events\s+equal\s+seconds\s+result$/m);
    for (const r of out.summary.rows) expect(tableLine(out.stdout, r.projection)).toMatch(new RegExp(`^${r.service}\\s+${r.projection.replace(/\./g, '\\.')}\\s+${r.events}\\s+yes\\s+\\d+\\.\\d\\s+swapped$`));
    expect(out.stdout).toContain(`all ${out.summary.rows.length} read models of ${SERVICES.length} services rebuilt`);
  });

  it('exits non-zero naming a damaged read model "not equal", and --force repairs it', async () => {
    const directory = clientsDb.db!.collection('client_directory');
    const before = await directory.findOne({ _id: clientId as never });
    // the read model keeps the name encrypted under the client's key (issue 15, item 4)
    expect(before).toMatchObject({ name: { pii: 'v1', person: clientId } });
    expect(JSON.stringify(before)).not.toContain('Jones Realty');
    await directory.updateOne({ _id: clientId as never }, { $set: { name: 'Tampered' } });

    const damaged = await rebuildAll();
    expect(damaged.code).toBe(1);
    expect(damaged.summary.ok).toBe(false);
    const row = damaged.summary.rows.find((r) => r.projection === 'clients.client-directory')!;
    expect(row).toMatchObject({ service: 'clients', equal: false, swapped: false, error: expect.stringContaining('differs') });
    expect(tableLine(damaged.stdout, 'clients.client-directory')).toMatch(/\sno\s.*NOT EQUAL/);
    for (const r of damaged.summary.rows.filter((x) => x.projection !== 'clients.client-directory')) expect(r).toMatchObject({ equal: true, error: null });
    expect(damaged.stdout).toContain(`1 of ${damaged.summary.rows.length} read models failed or were not equal`);
    expect(await directory.findOne({ _id: clientId as never })).toMatchObject({ name: 'Tampered' }); // not swapped
    expect((await clientsDb.db!.listCollections().toArray()).map((c) => c.name).filter((n) => n.startsWith('client_directory__rebuild_'))).toHaveLength(1);

    const forced = await rebuildAll('--force');
    expect({ code: forced.code, stderr: forced.code === 0 ? '' : forced.stderr }).toEqual({ code: 0, stderr: '' });
    expect(forced.summary.rows.find((r) => r.projection === 'clients.client-directory')).toMatchObject({ equal: false, swapped: true, error: null });
    expect(tableLine(forced.stdout, 'clients.client-directory')).toMatch(/\sno\s.*not equal: swapped \(repaired\)/);
    expect(await directory.findOne({ _id: clientId as never })).toEqual(before);
    // the differing run's shadow was kept for inspection until this run, which dropped it and swapped its own in
    expect((await clientsDb.db!.listCollections().toArray()).map((c) => c.name).filter((n) => n.startsWith('client_directory__'))).toEqual([]);
    const got = await request(svc('clients').url).get(`/clients/${clientId}`).set(auth(admin)).expect(200);
    expect(got.body.name).toBe('Jones Realty');
  });
});
