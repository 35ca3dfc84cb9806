/**
 * A month of an agency through the public HTTP API, on the five services started as processes:
 * 200 assistants, 500 clients, 600 hourly engagements; one time entry per engagement and working day
 * of March 2026 (22 days: 13,200 entries), each week submitted by the assistant and approved by the
 * client (3,000 of each), a billing run, and every invoice total checked against the formula
 * (per engagement: billed minutes × rate / 60, rounded half up once; invoice: the sum of its lines).
 *
 * Prints commands/s, p50 and p99 per tenth of the command phase (the ratio: p50 of the last tenth over
 * the first; a cost that grows with the data stored shows here), the stack's CPU over 30 s at rest
 * afterwards, and one command at a time on the quiet stack (POST /time-entries, POST /appointments,
 * POST /timesheets/.../approve) with where its time goes (the Server-Timing of each response).
 *
 *   npm run bench -- agency-month
 *   env: BENCH_ASSISTANTS (200), BENCH_CLIENTS (500), BENCH_ENGAGEMENTS (600), BENCH_CONCURRENCY (16),
 *        BENCH_SETTLE_SECONDS (30: after every backlog and lag is 0), BENCH_REST_SECONDS (30, three windows),
 *        BENCH_SINGLE (50)
 */
import * as path from 'node:path';
import { benchEnv, emitResult, log, pool, printTable, round, runBench, uniqueName } from './common';
import { cpuSeconds, pidsOf, startConsole, startStack, tokenFor, type ServiceName } from './stack';

const BENCH = 'agency-month';
const AGENCY = 'agency-month-bench';
const PERIOD = '2026-03';

interface Sample {
  what: string;
  ms: number;
  status: number;
  timing?: Record<string, number>;
}

const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = (xs: number[]) => quantile(xs, 0.5);

function parseServerTiming(header: string | null): Record<string, number> | undefined {
  if (!header) return undefined;
  const out: Record<string, number> = {};
  for (const part of header.split(',')) {
    const m = /^\s*([\w-]+);dur=([\d.]+)/.exec(part);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

/** March 2026's working days, by ISO week. */
const WEEKS: { week: string; days: string[] }[] = [
  { week: '2026-W10', days: ['02', '03', '04', '05', '06'] },
  { week: '2026-W11', days: ['09', '10', '11', '12', '13'] },
  { week: '2026-W12', days: ['16', '17', '18', '19', '20'] },
  { week: '2026-W13', days: ['23', '24', '25', '26', '27'] },
  { week: '2026-W14', days: ['30', '31'] },
].map((w) => ({ week: w.week, days: w.days.map((d) => `2026-03-${d}`) }));

const ZONES = ['Asia/Manila', 'Europe/London', 'America/New_York', 'America/Argentina/Buenos_Aires'];

runBench(async () => {
  const env = benchEnv();
  const nAssistants = Number(process.env.BENCH_ASSISTANTS ?? 200);
  const nClients = Number(process.env.BENCH_CLIENTS ?? 500);
  const nEngagements = Number(process.env.BENCH_ENGAGEMENTS ?? 600);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
  const restSeconds = Number(process.env.BENCH_REST_SECONDS ?? 30);
  const settleSeconds = Number(process.env.BENCH_SETTLE_SECONDS ?? 30);
  const nSingle = Number(process.env.BENCH_SINGLE ?? 50);
  if (nEngagements > nAssistants * 3) throw new Error('at most three engagements per assistant (their time slots)');

  // the schedulers at their production interval (the test clock alone would make them tick every 300 ms)
  const stack = await startStack(env, uniqueName('month').replace(/[^a-zA-Z0-9]/g, '_'), { VAOPS_SCHEDULER_INTERVAL_MS: '30000' });
  try {
    const admin = tokenFor({ sub: 'ops', agencyId: AGENCY, role: 'agency-admin' });
    const call = async (svc: ServiceName, method: string, url: string, token: string, body?: object): Promise<{ status: number; body: Record<string, unknown>; ms: number; timing?: Record<string, number> }> => {
      const started = performance.now();
      const r = await fetch(`${stack.urls[svc]}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await r.text();
      const ms = performance.now() - started;
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        parsed = { text };
      }
      return { status: r.status, body: parsed, ms, timing: parseServerTiming(r.headers.get('server-timing')) };
    };
    const must = async (svc: ServiceName, method: string, url: string, token: string, body?: object) => {
      const r = await call(svc, method, url, token, body);
      if (r.status >= 300) throw new Error(`${svc} ${method} ${url} answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r;
    };
    const clock = (svc: ServiceName, now: string) => must(svc, 'PUT', '/_test/clock', admin, { now });

    // ------------------------------------------------------------ the agency (not timed per tenth)
    await clock('clients', '2026-02-25T12:00:00Z');
    await clock('time-tracking', '2026-04-13T06:00:00Z');
    await clock('scheduling', '2026-04-01T00:00:00Z');
    const setupStarted = performance.now();
    const clients: string[] = [];
    const assistants: string[] = [];
    await pool(nClients, concurrency, async (i) => {
      clients[i] = (await must('clients', 'POST', '/clients', admin, { name: `Client ${i}`, email: `c${i}@clients.example`, timezone: ZONES[i % 4], currency: 'USD' })).body.id as string;
    });
    await pool(nAssistants, concurrency, async (i) => {
      const workingHours = [1, 2, 3, 4, 5].map((day) => ({ day, start: '00:00', end: '24:00' }));
      const body = { name: `VA ${i}`, email: `va${i}@va.example`, timezone: ZONES[i % 4], weeklyCapacityHours: 40, skills: ['bookkeeping'], payRate: { amountMinor: 1200 + (i % 5) * 100, currency: 'USD' }, workingHours };
      assistants[i] = (await must('clients', 'POST', '/assistants', admin, body)).body.id as string;
    });
    const rateOf = (i: number) => 3000 + (i % 8) * 250;
    const engagements: { id: string; client: number; assistant: number; slot: number; rate: number }[] = [];
    await pool(nEngagements, concurrency, async (i) => {
      const client = i % nClients;
      const assistant = i % nAssistants;
      const body = { clientId: clients[client], assistantId: assistants[assistant], kind: 'part-time', weeklyHours: 10, startsOn: '2026-03-01', noticePeriodDays: 30, plan: { type: 'hourly', rate: { amountMinor: rateOf(i), currency: 'USD' } } };
      engagements[i] = { id: (await must('clients', 'POST', '/engagements', admin, body)).body.id as string, client, assistant, slot: Math.floor(i / nAssistants), rate: rateOf(i) };
    });
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    log(`${BENCH}: ${nClients} clients, ${nAssistants} assistants, ${nEngagements} engagements in ${round(setupSeconds)} s; waiting for time-tracking and scheduling to learn them`);
    await pool(nEngagements, concurrency, async (i) => {
      for (const svc of ['time-tracking', 'scheduling'] as const) {
        const url = svc === 'time-tracking' ? `/time-entries?engagementId=${engagements[i].id}` : `/engagements/${engagements[i].id}/scheduling-policy`;
        const deadline = Date.now() + 120_000;
        while ((await call(svc, 'GET', url, admin)).status !== 200) {
          if (Date.now() > deadline) throw new Error(`${svc} did not learn engagement ${i} in 120 s`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    });

    const asAssistant = (a: number) => tokenFor({ sub: `va-${a}`, agencyId: AGENCY, role: 'assistant', assistantId: assistants[a] });
    const asClient = (c: number) => tokenFor({ sub: `exec-${c}`, agencyId: AGENCY, role: 'client', clientId: clients[c] });
    const assistantTokens = assistants.map((_, a) => asAssistant(a));
    const clientTokens = clients.map((_, c) => asClient(c));

    // ------------------------------------------------------------ the month (timed per tenth)
    /** Minutes of engagement i on a day: 30 to 149, in the engagement's own three-hour slot. */
    const minutesOf = (i: number, day: string) => 30 + ((i * 7 + Number(day.slice(8)) * 13) % 120);
    const entryOf = (i: number, day: string) => {
      const start = Date.parse(`${day}T08:00:00Z`) + engagements[i].slot * 3 * 3_600_000;
      return { engagementId: engagements[i].id, category: 'data-entry', startedAt: new Date(start).toISOString(), endedAt: new Date(start + minutesOf(i, day) * 60_000).toISOString(), billable: true };
    };
    const commands: { svc: ServiceName; url: string; token: string; body: object; what: string }[] = [];
    for (const { week, days } of WEEKS) {
      for (const day of days) for (let i = 0; i < nEngagements; i++) commands.push({ svc: 'time-tracking', url: '/time-entries', token: assistantTokens[engagements[i].assistant], body: entryOf(i, day), what: 'log' });
      for (let i = 0; i < nEngagements; i++) commands.push({ svc: 'time-tracking', url: `/timesheets/${engagements[i].id}/${week}/submit`, token: assistantTokens[engagements[i].assistant], body: {}, what: 'submit' });
      for (let i = 0; i < nEngagements; i++) commands.push({ svc: 'time-tracking', url: `/timesheets/${engagements[i].id}/${week}/approve`, token: clientTokens[engagements[i].client], body: {}, what: 'approve' });
    }
    log(`${BENCH}: ${commands.length} commands, concurrency ${concurrency}`);
    const samples: (Sample & { doneAt: number })[] = new Array(commands.length);
    const failures: string[] = [];
    const phaseStarted = performance.now();
    // a week's submits wait for its entries, its approvals for its submits: run the list in its order,
    // `concurrency` at a time, but never start a step before the previous kind of command has finished
    let from = 0;
    while (from < commands.length) {
      let to = from;
      while (to < commands.length && commands[to].what === commands[from].what) to++;
      await pool(to - from, concurrency, async (k) => {
        const i = from + k;
        const c = commands[i];
        const r = await call(c.svc, 'POST', c.url, c.token, c.body);
        samples[i] = { what: c.what, ms: r.ms, status: r.status, doneAt: performance.now() };
        if (r.status >= 300 && failures.length < 20) failures.push(`${c.what} ${c.url} ${r.status} ${JSON.stringify(r.body)}`);
      });
      from = to;
    }
    const phaseSeconds = (performance.now() - phaseStarted) / 1000;
    if (failures.length > 0) throw new Error(`commands failed:\n${failures.join('\n')}`);

    const tenths = Array.from({ length: 10 }, (_, t) => {
      const part = samples.slice(Math.floor((t * samples.length) / 10), Math.floor(((t + 1) * samples.length) / 10));
      const startAt = t === 0 ? phaseStarted : samples[Math.floor((t * samples.length) / 10) - 1].doneAt;
      const seconds = (Math.max(...part.map((s) => s.doneAt)) - startAt) / 1000;
      return { tenth: t + 1, commands: part.length, perSecond: part.length / seconds, p50: median(part.map((s) => s.ms)), p99: quantile(part.map((s) => s.ms), 0.99) };
    });

    // ------------------------------------------------------------ billing and the invoices
    const expectedMinutes = engagements.map((_, i) => WEEKS.flatMap((w) => w.days).reduce((n, day) => n + minutesOf(i, day), 0));
    const totalMinutes = expectedMinutes.reduce((a, b) => a + b, 0);
    const deadline = Date.now() + 600_000;
    for (;;) {
      const payouts = await must('billing', 'GET', `/payouts?period=${PERIOD}`, admin);
      const billed = (payouts.body.items as { billedMinutes: number }[]).reduce((n, p) => n + p.billedMinutes, 0);
      if (billed === totalMinutes) break;
      if (Date.now() > deadline) throw new Error(`billing knows ${billed} of ${totalMinutes} approved minutes after 10 minutes`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const runStarted = performance.now();
    const run = await must('billing', 'POST', '/billing-runs', admin, { period: PERIOD });
    const billingRunSeconds = (performance.now() - runStarted) / 1000;
    const invoices = (await must('billing', 'GET', `/invoices?period=${PERIOD}&minPosition=${run.body.position}`, admin)).body.items as { clientId: string; total: { amountMinor: number }; lines: { engagementId: string; amount: { amountMinor: number } }[] }[];
    const halfUp = (n: number, d: number) => Math.floor((2 * n + d) / (2 * d));
    const expectedLine = new Map(engagements.map((e, i) => [e.id, halfUp(expectedMinutes[i] * e.rate, 60)]));
    const expectedTotal = new Map<string, number>();
    for (const e of engagements) expectedTotal.set(clients[e.client], (expectedTotal.get(clients[e.client]) ?? 0) + expectedLine.get(e.id)!);
    const wrong: string[] = [];
    for (const inv of invoices) {
      if (inv.total.amountMinor !== expectedTotal.get(inv.clientId)) wrong.push(`client ${inv.clientId}: total ${inv.total.amountMinor}, expected ${expectedTotal.get(inv.clientId)}`);
      for (const l of inv.lines) if (l.amount.amountMinor !== expectedLine.get(l.engagementId)) wrong.push(`line ${l.engagementId}: ${l.amount.amountMinor}, expected ${expectedLine.get(l.engagementId)}`);
    }
    const billedClients = new Set(engagements.map((e) => clients[e.client])).size;
    if (invoices.length !== billedClients) wrong.push(`${invoices.length} invoices, expected ${billedClients}`);
    if (wrong.length > 0) throw new Error(`invoices differ from the formula:\n${wrong.slice(0, 20).join('\n')}`);
    log(`${BENCH}: ${invoices.length} invoices checked against the formula`);

    // ------------------------------------------------------------ the stack at rest
    // at rest means done: every relay's backlog and every consumer's lag at 0, then 10 s more
    const settled = async () => {
      for (const svc of Object.keys(stack.urls) as ServiceName[]) {
        const text = await (await fetch(`${stack.urls[svc]}/metrics`)).text();
        const values = text.split('\n').filter((l) => /^vaops_(consumer_lag|outbox_backlog)[{ ]/.test(l)).map((l) => Number(l.split(' ').pop()));
        if (values.some((v) => v > 0)) return false;
      }
      return true;
    };
    const settleDeadline = Date.now() + 300_000;
    while (!(await settled())) {
      if (Date.now() > settleDeadline) throw new Error('the stack did not settle within 5 minutes after the month');
      await new Promise((r) => setTimeout(r, 1_000));
    }
    // Three windows of BENCH_REST_SECONDS, the first BENCH_SETTLE_SECONDS after the last lag: the
    // processes quiet down for a while after a burst of work (V8 collects and shrinks its heap).
    await new Promise((r) => setTimeout(r, settleSeconds * 1_000));
    const infraPids = pidsOf(['kafka', 'ferretdb'].map((n) => path.resolve(__dirname, '..', '.infra', 'run', 'test', `${n}.pid`)));
    const measured = [...Object.entries(stack.pids).map(([name, pid]) => ({ name, pid })), ...infraPids.map((pid, i) => ({ name: i === 0 ? 'kafka' : 'ferretdb', pid }))];
    const windows: { afterSeconds: number; total: number; perProcess: { name: string; percentOfOneCore: number }[] }[] = [];
    for (let w = 0; w < 3; w++) {
      const before = measured.map((p) => cpuSeconds(p.pid));
      await new Promise((r) => setTimeout(r, restSeconds * 1_000));
      const perProcess = measured.map((p, i) => ({ name: p.name, percentOfOneCore: (100 * (cpuSeconds(p.pid) - before[i])) / restSeconds }));
      windows.push({ afterSeconds: settleSeconds + w * restSeconds, total: perProcess.reduce((n, p) => n + p.percentOfOneCore, 0), perProcess });
    }
    const { perProcess: restCpu, total: restTotal } = windows[windows.length - 1];

    // ------------------------------------------------------------ one command at a time, quiet stack
    await clock('time-tracking', '2026-04-20T06:00:00Z');
    const single = async (what: string, n: number, make: (k: number) => { svc: ServiceName; url: string; token: string; body: object }) => {
      const out: Sample[] = [];
      for (let k = 0; k < n; k++) {
        const c = make(k);
        const r = await call(c.svc, 'POST', c.url, c.token, c.body);
        if (r.status >= 300) throw new Error(`${what} answered ${r.status}: ${JSON.stringify(r.body)}`);
        out.push({ what, ms: r.ms, status: r.status, timing: r.timing });
      }
      return out;
    };
    const n = Math.max(1, Math.min(nSingle, nEngagements));
    const day = (k: number) => `2026-04-${String(13 + (k % 5)).padStart(2, '0')}`;
    const logged = await single('POST /time-entries', n, (k) => ({ svc: 'time-tracking', url: '/time-entries', token: assistantTokens[engagements[k].assistant], body: entryOf(k, day(k)) }));
    const booked = await single('POST /appointments', n, (k) => {
      // 12:00 UTC: a weekday afternoon, morning or evening in every assistant's zone (their working days)
      const start = Date.parse(`${day(k)}T12:00:00Z`) + engagements[k].slot * 3_600_000;
      return { svc: 'scheduling', url: '/appointments', token: admin, body: { engagementId: engagements[k].id, kind: 'check-in', startsAt: new Date(start).toISOString(), endsAt: new Date(start + 1_800_000).toISOString() } };
    });
    for (let k = 0; k < n; k++) await must('time-tracking', 'POST', `/timesheets/${engagements[k].id}/2026-W16/submit`, assistantTokens[engagements[k].assistant], {});
    const approved = await single('POST /timesheets/:id/:week/approve', n, (k) => ({ svc: 'time-tracking', url: `/timesheets/${engagements[k].id}/2026-W16/approve`, token: clientTokens[engagements[k].client], body: {} }));
    const singles = [logged, booked, approved].map((xs) => {
      const parts = ['queue', 'load', 'decide', 'append', 'read-your-writes'];
      const med = (f: (s: Sample) => number) => round(median(xs.map(f)), 2);
      const breakdown = { queue: 0, load: 0, decide: 0, append: 0, 'read-your-writes': 0 } as Record<string, number>;
      for (const p of parts) breakdown[p] = med((s) => s.timing?.[p] ?? 0);
      const serverTotal = med((s) => s.timing?.total ?? 0);
      return { what: xs[0].what, medianMs: med((s) => s.ms), p99Ms: round(quantile(xs.map((s) => s.ms), 0.99), 1), serverTotalMs: serverTotal, breakdown, otherServerMs: med((s) => (s.timing?.total ?? 0) - parts.reduce((a, p) => a + (s.timing?.[p] ?? 0), 0)) };
    });

    // ------------------------------------------------------------ the console's pages at this size
    // each page as its role opens it (server-rendered from the services' APIs), BENCH_PAGE_RUNS times;
    // beside each, the one API read beneath it that is the same for every page (GET /clients?limit=10)
    const pageRuns = Number(process.env.BENCH_PAGE_RUNS ?? 5);
    const consoleApp = await startConsole(stack, AGENCY);
    const pages: { who: string; path: string; medianMs: number; maxMs: number; bytes: number }[] = [];
    let rawMedianMs = 0;
    try {
      const cookieOf = (token: string) => `vaops_session=${encodeURIComponent(token)}`;
      const openPage = async (token: string, path: string) => {
        const started = performance.now();
        const r = await fetch(`${consoleApp.url}${path}`, { headers: { cookie: cookieOf(token) }, redirect: 'manual' });
        const text = await r.text();
        if (r.status !== 200) throw new Error(`console ${path} answered ${r.status}: ${text.slice(0, 500)}`);
        return { ms: performance.now() - started, bytes: text.length };
      };
      const week = '2026-W16';
      const views: [string, string, string][] = [
        ['agency', admin, '/today?date=2026-04-15'],
        ['agency', admin, `/team?week=${week}`],
        ['agency', admin, '/clients?month=2026-04'],
        ['agency', admin, `/clients/${clients[0]}?month=2026-04`],
        ['agency', admin, '/alerts'],
        ['agency', admin, '/timesheets'],
        ['agency', admin, `/invoices?period=${PERIOD}`],
        ['agency', admin, '/engagements/new'],
        ['client', clientTokens[0], '/today?date=2026-04-15'],
        ['client', clientTokens[0], `/clients/${clients[0]}?month=2026-04`],
        ['client', clientTokens[0], `/invoices?period=${PERIOD}`],
        ['assistant', assistantTokens[0], '/today?date=2026-04-15'],
        ['assistant', assistantTokens[0], '/my-time'],
      ];
      for (const [who, token, path] of views) {
        await openPage(token, path); // warm: the first request of a route compiles its code paths
        const runs: { ms: number; bytes: number }[] = [];
        for (let k = 0; k < pageRuns; k++) runs.push(await openPage(token, path));
        pages.push({ who, path, medianMs: round(median(runs.map((r) => r.ms)), 1), maxMs: round(Math.max(...runs.map((r) => r.ms)), 1), bytes: runs[0].bytes });
      }
      const raw: number[] = [];
      for (let k = 0; k < pageRuns; k++) raw.push((await must('clients', 'GET', '/clients?limit=10', admin)).ms);
      rawMedianMs = round(median(raw), 1);
    } finally {
      await consoleApp.stop();
    }

    const first = tenths[0];
    const last = tenths[9];
    const ratio = last.p50 / first.p50;
    printTable(`${BENCH}: ${nAssistants} assistants, ${nClients} clients, ${nEngagements} engagements, ${commands.length} commands at concurrency ${concurrency}`, [
      ['setup (clients, assistants, engagements)', `${round(setupSeconds, 1)} s`],
      ['command phase', `${round(phaseSeconds, 1)} s, ${round(commands.length / phaseSeconds)} commands/s`],
      ...tenths.map((t): [string, string] => [`  tenth ${String(t.tenth).padStart(2)}`, `${round(t.perSecond)} commands/s, p50 ${round(t.p50, 1)} ms, p99 ${round(t.p99, 1)} ms`]),
      ['billing run', `${round(billingRunSeconds, 2)} s for ${invoices.length} invoices (each total equal to the formula)`],
      ...windows.map((w): [string, string] => [`stack at rest, ${restSeconds} s from ${w.afterSeconds} s after the last lag`, `${round(w.total, 2)} % of one core (${w.perProcess.map((p) => `${p.name} ${round(p.percentOfOneCore, 2)}`).join(', ')})`]),
      ...singles.map((s): [string, string] => [`one at a time: ${s.what}`, `median ${s.medianMs} ms (p99 ${s.p99Ms}); server ${s.serverTotalMs}: queue ${s.breakdown.queue}, load ${s.breakdown.load}, decide ${s.breakdown.decide}, append ${s.breakdown.append}, lookups and the rest ${s.otherServerMs}`]),
      ...pages.map((p): [string, string] => [`console ${p.who} ${p.path}`, `median ${p.medianMs} ms, max ${p.maxMs} ms (${Math.round(p.bytes / 1024)} kB; ${round(p.medianMs / rawMedianMs, 1)}x one GET /clients?limit=10 at ${rawMedianMs} ms)`]),
      ['ratio p50 last tenth ÷ first tenth', Number(ratio.toPrecision(3))],
    ]);
    emitResult({
      bench: BENCH,
      ratio: Number(ratio.toPrecision(3)),
      ratioOf: 'p50 latency of the last tenth ÷ the first tenth (<= 1.5)',
      n: commands.length,
      rates: { numerator: round(last.perSecond), denominator: round(first.perSecond) },
      assistants: nAssistants,
      clients: nClients,
      engagements: nEngagements,
      concurrency,
      setupSeconds: round(setupSeconds, 1),
      phaseSeconds: round(phaseSeconds, 1),
      commandsPerSecond: round(commands.length / phaseSeconds),
      tenths: tenths.map((t) => ({ ...t, perSecond: round(t.perSecond), p50: round(t.p50, 1), p99: round(t.p99, 1) })),
      billingRunSeconds: round(billingRunSeconds, 2),
      invoices: invoices.length,
      restSeconds,
      restCpuPercentOfOneCore: round(restTotal, 2),
      restCpu: restCpu.map((p) => ({ ...p, percentOfOneCore: round(p.percentOfOneCore, 2) })),
      restWindows: windows.map((w) => ({ afterSeconds: w.afterSeconds, total: round(w.total, 2), perProcess: w.perProcess.map((p) => ({ ...p, percentOfOneCore: round(p.percentOfOneCore, 2) })) })),
      singles,
      consolePages: pages,
      consoleRawGetMs: rawMedianMs,
    });
  } finally {
    await stack.remove();
  }
});

