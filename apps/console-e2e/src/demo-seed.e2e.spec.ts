import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { DateTime } from 'luxon';
import request from 'supertest';
import { startService, tokenFor, uniqueName, waitUntil, type RunningService } from '@vaops/testing';

/**
 * The demo agency `npm start` creates on an empty database (apps/console/src/demo), on the real servers:
 * the five services on one topic prefix with npm start's rate limits; clients and scheduling on their
 * test clocks while the seed runs and restarted on the system clock after it, as scripts/demo-agency.mjs
 * does; the seed run as npm start runs it (its command line), for an agency of this test's own. Then
 * everything it made is checked through the services' public APIs, and a second run does nothing.
 */

const ROOT = path.resolve(__dirname, '../../..');
const SERVICES = ['clients', 'scheduling', 'time-tracking', 'billing', 'analytics'] as const;
type Service = (typeof SERVICES)[number];
/** npm start's rate limits (the tests' services run without them). */
const NPM_START_LIMITS = { VAOPS_RATE_LIMIT_PRINCIPAL: '300', VAOPS_RATE_LIMIT_WRITES: '100', VAOPS_RATE_LIMIT_AGENCY: '3000' };
const ZONES = ['America/Argentina/Buenos_Aires', 'America/New_York', 'Asia/Manila', 'Europe/London'];

interface Seeded {
  agencyId: string;
  seeded: boolean;
  reason?: string;
  seconds?: number;
  summary?: string;
  counts?: { timeEntries: number; appointments: { kept: number; noShow: number }; retainerPast80: { month: string } };
}

describe('the demo agency (npm start on an empty database)', () => {
  const agency = uniqueName('agency-demo').replace(/[^a-zA-Z0-9-]/g, '-');
  const admin = tokenFor({ sub: 'ops', agencyId: agency, role: 'agency-admin' });
  const svc = {} as Record<Service, RunningService>;
  let first: Seeded;

  const cli = (): Promise<{ code: number | null; out: string; err: string }> =>
    new Promise((resolve) => {
      const env = {
        ...process.env,
        VAOPS_CLIENTS_URL: svc.clients.url,
        VAOPS_SCHEDULING_URL: svc.scheduling.url,
        VAOPS_TIME_TRACKING_URL: svc['time-tracking'].url,
        VAOPS_BILLING_URL: svc.billing.url,
        VAOPS_ANALYTICS_URL: svc.analytics.url,
        VAOPS_DEMO_AGENCY: agency,
        VAOPS_JWT_SECRET: svc.clients.env.VAOPS_JWT_SECRET,
      };
      const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'apps/console/src/demo/cli.ts'), '--json'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (code) => resolve({ code, out, err }));
    });

  /** The same service (its database, topics and consumer groups) started again with other settings. */
  const restart = async (name: Service, extra: Record<string, string>) => {
    const old = svc[name];
    await old.stop();
    const { PORT: _port, VAOPS_TEST_CLOCK: _clock, VAOPS_SCHEDULER_INTERVAL_MS: _interval, ...env } = old.env;
    svc[name] = await startService(name, { ...env, ...extra });
  };

  const get = async <T = Record<string, unknown>>(service: Service, url: string): Promise<T> => {
    const r = await request(svc[service].url).get(url).set('Authorization', `Bearer ${admin}`);
    if (r.status !== 200) throw new Error(`GET ${service} ${url} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body as T;
  };
  const items = async <T>(service: Service, url: string): Promise<T[]> => (await get<{ items: T[] }>(service, url)).items;

  beforeAll(async () => {
    const prefix = `${uniqueName('demo').replace(/[^a-zA-Z0-9]/g, '_')}.`;
    const clockOf: Partial<Record<Service, Record<string, string>>> = {
      // the seeding clocks, as scripts/demo-agency.mjs starts them (the clients scheduler held)
      clients: { VAOPS_TEST_CLOCK: '1', VAOPS_SCHEDULER_INTERVAL_MS: '3600000' },
      scheduling: { VAOPS_TEST_CLOCK: '1' },
    };
    const started = await Promise.all(SERVICES.map((s) => startService(s, { VAOPS_TOPIC_PREFIX: prefix, ...NPM_START_LIMITS, ...(clockOf[s] ?? {}) })));
    SERVICES.forEach((s, i) => (svc[s] = started[i]));

    const run = await cli();
    if (run.code !== 0) throw new Error(`the seed failed (exit ${run.code}):\n${run.err}\n${run.out}`);
    first = JSON.parse(run.out) as Seeded;
    console.log(`demo seed: ${first.seconds} s for ${first.summary}\n${run.err}`);

    // back on the system clock; the clients scheduler every 2 s (npm start: 30 s) to see the silence soon
    await Promise.all([restart('clients', { VAOPS_SCHEDULER_INTERVAL_MS: '2000' }), restart('scheduling', {})]);
  }, 420_000);

  afterAll(async () => {
    await Promise.all(SERVICES.map((s) => svc[s]?.stop()));
  });

  it('seeds an empty agency (how long it took is printed above)', () => {
    expect(first).toMatchObject({ agencyId: agency, seeded: true });
    expect(first.seconds).toBeGreaterThan(0);
  });

  it('has 12 assistants, three in each of Manila, London, New York and Buenos Aires, and 25 clients', async () => {
    const assistants = await items<{ name: string; timezone: string }>('clients', '/assistants?limit=100');
    expect(assistants).toHaveLength(12);
    const byZone = assistants.reduce<Record<string, number>>((m, a) => ({ ...m, [a.timezone]: (m[a.timezone] ?? 0) + 1 }), {});
    expect(byZone).toEqual(Object.fromEntries(ZONES.map((z) => [z, 3])));
    const clients = await items<{ name: string; currency: string }>('clients', '/clients?limit=100');
    expect(clients).toHaveLength(25);
    expect(new Set(clients.map((c) => c.name)).size).toBe(25);
  });

  it('has engagements in every trust phase, hourly and retainer plans (with and without rollover), promotions and a demotion, and a notice running', async () => {
    const engagements = await items<{ phase: number | null; status: string; endsOn: string | null; plan: { type: string; rollover?: boolean }; phaseHistory: { phase: number | null }[]; history: { type: string; data: { from?: number; to?: number; reason?: string } }[] }>(
      'clients',
      '/engagements?limit=100',
    );
    expect(engagements.length).toBeGreaterThanOrEqual(25);
    expect(new Set(engagements.map((e) => e.phase))).toEqual(new Set([1, 2, 3]));
    expect(new Set(engagements.map((e) => (e.plan.type === 'retainer' ? `retainer, rollover ${e.plan.rollover}` : e.plan.type)))).toEqual(new Set(['hourly', 'retainer, rollover true', 'retainer, rollover false']));
    const changes = engagements.flatMap((e) => e.history.filter((h) => h.type === 'EngagementPhaseChanged').map((h) => h.data));
    expect(changes.some((c) => c.to! > c.from!)).toBe(true);
    expect(changes.some((c) => c.to! < c.from!)).toBe(true);
    expect(changes.every((c) => (c.reason ?? '').length > 10)).toBe(true);
    const today = DateTime.utc().toISODate()!;
    const soon = DateTime.utc().plus({ days: 14 }).toISODate()!;
    expect(engagements.filter((e) => e.status === 'in-notice' && e.endsOn! >= today && e.endsOn! <= soon)).toHaveLength(1);
  });

  it('has the last eight weeks of appointments: kept, changed late and no-shows, in every assistant’s record', async () => {
    const assistants = await items<{ id: string }>('clients', '/assistants?limit=100');
    const records = await Promise.all(assistants.map((a) => get<{ kept: number; noShow: number; rescheduledLate: number; cancelledLate: number; rescheduledInTime: number }>('scheduling', `/assistants/${a.id}/reliability`)));
    const total = (k: keyof (typeof records)[number]) => records.reduce((s, r) => s + r[k], 0);
    expect(records.every((r) => r.kept >= 4)).toBe(true);
    expect(total('kept')).toBe(first.counts!.appointments.kept);
    expect(total('noShow')).toBeGreaterThanOrEqual(first.counts!.appointments.noShow);
    expect(total('noShow')).toBeGreaterThan(0);
    expect(total('rescheduledLate') + total('cancelledLate')).toBeGreaterThan(0);
    // eight weeks back: the Monday to Friday of week -8 in London, kept calls on someone's agenda
    const monday = DateTime.now().setZone('Europe/London').startOf('week').minus({ weeks: 8 });
    let kept = 0;
    for (let d = 0; d < 5; d++) {
      const date = monday.plus({ days: d }).toISODate()!;
      const agendas = await Promise.all(assistants.map((a) => items<{ status: string }>('scheduling', `/agenda?date=${date}&assistantId=${a.id}`)));
      kept += agendas.flat().filter((x) => x.status === 'kept').length;
    }
    expect(kept).toBeGreaterThan(10);
  });

  it('has eight weeks of time, rounded up to 15 minutes, mostly in approved weeks, some awaiting approval', async () => {
    const entries: { startedAt: string; actualMinutes: number; billedMinutes: number; billable: boolean; status: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: typeof entries; nextCursor: string | null } = await get('time-tracking', `/time-entries?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      entries.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(entries).toHaveLength(first.counts!.timeEntries);
    for (const e of entries) expect(e.billedMinutes).toBe(e.billable ? Math.ceil(e.actualMinutes / 15) * 15 : 0);
    expect(entries.filter((e) => e.billedMinutes !== e.actualMinutes).length).toBeGreaterThan(entries.length / 2);
    expect(Date.parse(entries[0].startedAt)).toBeLessThan(DateTime.now().minus({ weeks: 8 }).toMillis());
    const statuses = entries.reduce<Record<string, number>>((m, e) => ({ ...m, [e.status]: (m[e.status] ?? 0) + 1 }), {});
    expect(statuses.approved).toBeGreaterThan(entries.length * 0.7);
    expect(statuses.submitted).toBeGreaterThan(0);
    const approved = await items('time-tracking', '/timesheets?status=approved&limit=500');
    expect(approved.length).toBeGreaterThan(150);
    expect((await items('time-tracking', '/timesheets?status=submitted&limit=500')).length).toBeGreaterThan(0);
  });

  it('has invoices in every state, a credit note and payouts', async () => {
    const invoices = await items<{ status: string; period: string; number: string | null; credited: { amountMinor: number } }>('billing', '/invoices');
    expect(new Set(invoices.map((i) => i.status))).toEqual(new Set(['draft', 'issued', 'paid', 'void']));
    expect(invoices.filter((i) => i.status !== 'draft').every((i) => /^INV-\d{4}-\d{6}$/.test(i.number ?? ''))).toBe(true);
    expect(invoices.filter((i) => i.credited.amountMinor > 0)).toHaveLength(1);
    for (const period of new Set(invoices.map((i) => i.period))) {
      const payouts = await items<{ billedMinutes: number; amount: { amountMinor: number } }>('billing', `/payouts?period=${period}`);
      expect(payouts.length).toBeGreaterThan(10);
      expect(payouts.every((p) => p.billedMinutes > 0 && p.amount.amountMinor > 0)).toBe(true);
    }
  });

  it('shows on the Alerts page’s sources: a silent engagement, an overdue review and a retainer past 80 % of this month', async () => {
    type Engagement = { id: string; plan: { type: string }; silent: { since: string } | null; review: { overdue: boolean } | null };
    // the clients scheduler flags the silence on its next pass after the restart
    const silent = await waitUntil(
      async () => {
        const list = await items<Engagement>('clients', '/engagements?limit=100');
        return list.filter((e) => e.silent).length > 0 ? list.filter((e) => e.silent) : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the silent engagement' },
    );
    expect(silent).toHaveLength(1);
    expect(Date.parse(silent[0].silent!.since)).toBeLessThan(Date.now() - 7 * 86_400_000);
    const engagements = await items<Engagement>('clients', '/engagements?limit=100');
    expect(engagements.filter((e) => e.review?.overdue)).toHaveLength(1);
    // as the Alerts page asks: this month's burn-down of every retainer
    const month = first.counts!.retainerPast80.month;
    const burns = await Promise.all(engagements.filter((e) => e.plan.type === 'retainer').map((e) => get<{ percentUsed: number }>('time-tracking', `/engagements/${e.id}/retainer?month=${month}`)));
    expect(burns.filter((b) => b.percentUsed >= 80)).toHaveLength(1);
  });

  it('feeds analytics: every assistant’s utilization eight weeks back', async () => {
    const week = DateTime.now().setZone('Europe/London').minus({ weeks: 8 }).toFormat("kkkk-'W'WW");
    const rows = await waitUntil(
      async () => {
        const r = await items<{ loggedMinutes: number }>('analytics', `/analytics/utilization?week=${week}`);
        return r.length === 12 && r.every((x) => x.loggedMinutes > 0) ? r : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: `analytics to count ${week}` },
    );
    expect(rows).toHaveLength(12);
  });

  it('does nothing when run again: the agency is no longer empty', async () => {
    const run = await cli();
    expect(run.code).toBe(0);
    const again = JSON.parse(run.out) as Seeded;
    expect(again).toMatchObject({ agencyId: agency, seeded: false });
    expect(again.reason).toContain('already has');
    expect(await items('clients', '/clients?limit=100')).toHaveLength(25);
    expect(await items('clients', '/assistants?limit=100')).toHaveLength(12);
  });
});
