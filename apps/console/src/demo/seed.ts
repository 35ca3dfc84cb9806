import { DateTime } from 'luxon';
import type { Reliability } from '@vaops/contracts';
import { PlatformErrors, mintToken, type Principal } from '@vaops/platform';
import { billedOf, minutesOf, planDemoAgency, DEMO_SETTINGS, type DemoAppointment, type DemoAssistant, type DemoEntry, type DemoPlan, type DemoSheet } from './demo-agency';
import { Aborted, DemoApi, Limiter, SeedError, each, waitFor, type ServiceName, type ServiceUrls } from './http';

/**
 * Creates the demo agency through the five services' public HTTP APIs only, as the people in it would:
 * the agency registers its clients and assistants and starts the engagements; assistants book their
 * calls, keep them, log and submit their time; clients approve their weeks, give notice and promote;
 * the agency approves older weeks on the clients' behalf, runs billing, issues invoices and records
 * payments. Nothing is written to a database or a topic directly, so a rebuild of any read model
 * reproduces what the seed made.
 *
 * Appointments in the past: scheduling refuses to book in the past (as it should), so the seed moves
 * the scheduling service's clock (`PUT /_test/clock`, a service started with VAOPS_TEST_CLOCK=1) back
 * eight weeks, books the calendar there, and walks the clock forward through it: each call is kept at
 * its time, changes are asked for when they were (late ones within the agency's minimum notice), and
 * the scheduling service's own scheduler records as no-shows the calls nobody kept. The clock ends at
 * the real time; `npm start` then restarts scheduling on the system clock. The other services run on
 * the real clock: they take time entries and communications dated in the past.
 *
 * Each assistant's part runs as its own chain (engagements, then their calendar and their time side by
 * side), the chains in parallel, at most `concurrency` calls in flight per service; the walk waits for
 * every calendar, the bulk approvals and billing for every timesheet.
 */

export interface SeedOptions {
  urls: ServiceUrls;
  agencyId: string;
  jwtSecret: string;
  /** The seed's "now" (defaults to the real time). */
  now?: Date;
  /** Calls in flight per service. */
  concurrency?: number;
  log?: (line: string) => void;
}

type InvoiceStatus = 'draft' | 'issued' | 'paid' | 'void';

export interface SeedCounts {
  assistants: number;
  zones: string[];
  clients: number;
  engagements: number;
  phases: Record<'1' | '2' | '3', number>;
  plans: { hourly: number; retainer: number; retainerWithRollover: number };
  appointments: { booked: number; series: number; kept: number; noShow: number; lateChanges: number; changesInTime: number };
  timeEntries: number;
  billedHours: number;
  weeks: { approved: number; submitted: number; rejectedThenApproved: number; open: number };
  invoices: Record<InvoiceStatus, number>;
  creditNotes: number;
  payoutPeriods: string[];
  communications: number;
  notices: number;
  phaseChanges: number;
  silentEngagement: string;
  retainerPast80: { client: string; month: string; percent: number };
}

export type SeedResult =
  | { agencyId: string; seeded: false; reason: string }
  | { agencyId: string; seeded: true; seconds: number; counts: SeedCounts; summary: string; calls: number; rateLimitedSeconds: number };

interface Invoice {
  id: string;
  clientId: string;
  period: string;
  status: InvoiceStatus;
  total: { amountMinor: number; currency: string };
}

interface ListedEntry {
  id: string;
  billedMinutes: number;
  isoWeek: string;
}

const TOKEN_LIFETIME = '2h';
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Whether the agency has no client and no assistant yet (the seed only ever fills an empty one). */
export async function demoAgencyState(options: Pick<SeedOptions, 'urls' | 'agencyId' | 'jwtSecret'>): Promise<{ empty: boolean; clients: number; assistants: number }> {
  const api = new DemoApi(options.urls, new Limiter(2));
  const admin = mintToken(options.jwtSecret, { sub: `ops@${options.agencyId}`, agencyId: options.agencyId, role: 'agency-admin' }, { expiresIn: '5m' });
  const [clients, assistants] = await Promise.all(
    ['/clients?limit=1', '/assistants?limit=1'].map(async (path) => (await api.get<{ items: unknown[] }>('clients', path, admin)).body.items.length),
  );
  return { empty: clients === 0 && assistants === 0, clients, assistants };
}

export async function seedDemoAgency(options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const state = await demoAgencyState(options);
  if (!state.empty) {
    return { agencyId: options.agencyId, seeded: false, reason: `agency ${options.agencyId} already has ${state.clients ? 'clients' : 'assistants'}: the demo agency is created only in an empty one` };
  }
  const seeder = new Seeder(options, planDemoAgency(options.now ?? new Date()));
  try {
    const counts = await seeder.run();
    return { agencyId: options.agencyId, seeded: true, seconds: Math.round((Date.now() - started) / 100) / 10, counts, summary: summaryOf(counts), ...seeder.stats() };
  } catch (err) {
    // the other chains stop at their next call
    seeder.abort.reason ??= err;
    throw err;
  }
}

class Seeder {
  readonly abort: Aborted = { reason: null };
  private readonly apis = new Map<ServiceName, DemoApi>();
  private readonly admin: string;
  private readonly clockOperator: string;
  private readonly tokens = new Map<string, string>();
  private readonly ids = { clients: new Map<string, string>(), assistants: new Map<string, string>(), engagements: new Map<string, string>(), appointments: new Map<string, string>(), entries: new Map<string, string>() };
  private readonly concurrency: number;
  private readonly log: (line: string) => void;
  private readonly started = Date.now();
  /** The highest position time-tracking answered: reads that wait for it see every write before. */
  private timePosition = 0;

  constructor(
    private readonly options: SeedOptions,
    private readonly plan: DemoPlan,
  ) {
    this.concurrency = options.concurrency ?? 8;
    this.log = options.log ?? (() => undefined);
    for (const s of ['clients', 'scheduling', 'timeTracking', 'billing', 'analytics'] as ServiceName[]) this.apis.set(s, new DemoApi(options.urls, new Limiter(this.concurrency), this.abort));
    this.admin = this.mint({ sub: `ops@${options.agencyId}`, agencyId: options.agencyId, role: 'agency-admin' });
    // the seeding tool moves the scheduling clock: a principal of its own, not the ops person's
    this.clockOperator = this.mint({ sub: `demo-seed@${options.agencyId}`, agencyId: options.agencyId, role: 'agency-admin' });
  }

  stats(): { calls: number; rateLimitedSeconds: number } {
    const all = [...this.apis.values()].map((a) => a.stats);
    return { calls: all.reduce((s, x) => s + x.calls, 0), rateLimitedSeconds: Math.round(all.reduce((s, x) => s + x.rateLimitedMs, 0) / 1000) };
  }

  private api(s: ServiceName): DemoApi {
    return this.apis.get(s)!;
  }

  private mint(p: Principal): string {
    return mintToken(this.options.jwtSecret, p, { expiresIn: TOKEN_LIFETIME });
  }

  private assistantToken(assistantKey: string): string {
    const id = this.ids.assistants.get(assistantKey)!;
    if (!this.tokens.has(id)) this.tokens.set(id, this.mint({ sub: `assistant-${id}`, agencyId: this.options.agencyId, role: 'assistant', assistantId: id }));
    return this.tokens.get(id)!;
  }

  private clientToken(clientKey: string): string {
    const id = this.ids.clients.get(clientKey)!;
    if (!this.tokens.has(id)) this.tokens.set(id, this.mint({ sub: `client-${id}`, agencyId: this.options.agencyId, role: 'client', clientId: id }));
    return this.tokens.get(id)!;
  }

  /** Idempotency-Key of a step: one per seed run and step, so a retried call is answered, not redone. */
  private key(step: string): string {
    return `demo-${this.plan.now}-${step}`;
  }

  private engagementId(key: string): string {
    return this.ids.engagements.get(key)!;
  }

  private async clockAt(service: 'clients' | 'scheduling', now: string): Promise<void> {
    const r = await this.api(service).call(service, 'PUT', '/_test/clock', this.clockOperator, { now }, { accept: [404] });
    if (r.status === 404) {
      throw new SeedError(
        404,
        PlatformErrors.routeNotFound.code,
        `the ${service} service has no test clock (PUT /_test/clock is 404): start clients and scheduling with VAOPS_TEST_CLOCK=1 while seeding; the demo agency starts eight weeks ago on their clocks`,
      );
    }
  }

  async run(): Promise<SeedCounts> {
    const plan = this.plan;
    // the clocks first: without them the past cannot be booked, and nothing is written yet
    await Promise.all([this.clockAt('clients', plan.startClock), this.clockAt('scheduling', plan.startClock)]);
    await this.people();
    const settingsKnown = this.schedulingKnowsSettings();
    settingsKnown.catch(() => undefined);
    const engaged = plan.assistants.map((a) => this.engagements(a));
    const booked = plan.assistants.map((a, i) => engaged[i].then(() => settingsKnown).then(() => this.book(a)));
    const timed = plan.assistants.map((a, i) => engaged[i].then(() => this.time(a)));
    const lifecycle = Promise.all(engaged).then(() => this.lifecycle());
    const calendar = Promise.all(booked).then(() => this.walk());
    const billing = Promise.all([...timed, lifecycle]).then(() => this.approveInBulk()).then(() => this.billing());
    const [appointments, invoices] = await Promise.all([calendar, billing, lifecycle]);
    return this.counts(appointments, invoices);
  }

  // ------------------------------------------------------------ the agency and its people

  private async people(): Promise<void> {
    const { plan } = this;
    const clients = this.api('clients');
    await clients.write('clients', 'PUT', '/agency/settings', this.admin, DEMO_SETTINGS, this.key('settings'));
    const jobs = [
      ...plan.clients.map((c) => async () => {
        const { key, ...body } = c;
        this.ids.clients.set(key, (await clients.write<{ id: string }>('clients', 'POST', '/clients', this.admin, body, this.key(`client-${key}`))).id);
      }),
      ...plan.assistants.map((a) => async () => {
        const { key, ...body } = a;
        this.ids.assistants.set(key, (await clients.write<{ id: string }>('clients', 'POST', '/assistants', this.admin, body, this.key(`assistant-${key}`))).id);
      }),
    ];
    await each(jobs, this.concurrency, (job) => job());
    this.log(`settings, ${plan.clients.length} clients and ${plan.assistants.length} assistants in ${seconds(this.started)}`);
  }

  /**
   * An assistant's engagements one after another (their hours are reserved on the assistant), each
   * followed at once by its kick-off call, so that none looks silent to the clients service's
   * scheduler in between (its engagement started before the agency moved to vaops).
   */
  private async engagements(a: DemoAssistant): Promise<void> {
    const clients = this.api('clients');
    for (const e of this.plan.engagements.filter((x) => x.assistantKey === a.key)) {
      const body = { clientId: this.ids.clients.get(e.clientKey)!, assistantId: this.ids.assistants.get(a.key)!, kind: e.kind, weeklyHours: e.weeklyHours, startsOn: e.startsOn, noticePeriodDays: e.noticePeriodDays, phase: e.phase, plan: e.plan };
      const id = (await clients.write<{ id: string }>('clients', 'POST', '/engagements', this.admin, body, this.key(`engagement-${e.key}`))).id;
      this.ids.engagements.set(e.key, id);
      for (const c of this.plan.communications.filter((x) => x.engagementKey === e.key && x.occurredAt <= this.plan.startClock)) {
        await clients.write('clients', 'POST', `/engagements/${id}/communications`, this.assistantToken(a.key), { channel: c.channel, occurredAt: c.occurredAt, summary: c.summary }, this.key(`communication-${c.key}`));
      }
    }
  }

  /**
   * Back to the real time on the clients service's clock: the recent communications, review cadences
   * and a notice asked for by clients, promotions and a demotion.
   */
  private async lifecycle(): Promise<void> {
    const { plan } = this;
    const clients = this.api('clients');
    await this.clockAt('clients', new Date().toISOString());
    const clientOf = (engagementKey: string) => plan.engagements.find((e) => e.key === engagementKey)!;
    const jobs = [
      ...plan.communications
        .filter((c) => c.occurredAt > plan.startClock)
        .map((c) => () => clients.write('clients', 'POST', `/engagements/${this.engagementId(c.engagementKey)}/communications`, this.assistantToken(clientOf(c.engagementKey).assistantKey), { channel: c.channel, occurredAt: c.occurredAt, summary: c.summary }, this.key(`communication-${c.key}`))),
      ...plan.reviewCadences.map((r) => () => clients.write('clients', 'PUT', `/engagements/${this.engagementId(r.engagementKey)}/review-cadence`, this.clientToken(clientOf(r.engagementKey).clientKey), { everyDays: r.everyDays }, this.key(`cadence-${r.engagementKey}`))),
      ...plan.phaseChanges.map((p) => {
        const token = p.by === 'client' ? this.clientToken(clientOf(p.engagementKey).clientKey) : this.admin;
        return () => clients.write('clients', 'POST', `/engagements/${this.engagementId(p.engagementKey)}/phase`, token, { phase: p.to, reason: p.reason }, this.key(`phase-${p.engagementKey}`));
      }),
      ...plan.notices.map((n) => () => clients.write('clients', 'POST', `/engagements/${this.engagementId(n.engagementKey)}/notice`, this.clientToken(clientOf(n.engagementKey).clientKey), { by: n.by, reason: n.reason }, this.key(`notice-${n.engagementKey}`))),
    ];
    await each(jobs, this.concurrency, async (job) => void (await job()));
    this.log(`engagements, reviews, notices and phase changes in ${seconds(this.started)}`);
  }

  // ------------------------------------------------------------ the calendar (scheduling)

  /** Scheduling learns the agency's rules from the clients service's events. */
  private async schedulingKnowsSettings(): Promise<void> {
    await waitFor('scheduling to learn the agency settings', async () => {
      const s = (await this.api('scheduling').get<{ timezone: string; bufferMinutes: number; minimumNoticeHours: number }>('scheduling', '/agency/scheduling-settings', this.admin)).body;
      return s.timezone === DEMO_SETTINGS.timezone && s.bufferMinutes === DEMO_SETTINGS.bufferMinutes && s.minimumNoticeHours === DEMO_SETTINGS.minimumNoticeHours;
    });
  }

  /** An assistant books, eight weeks ago, a weekly series per engagement (one request each) and the one-offs. */
  private async book(a: DemoAssistant): Promise<void> {
    const { plan } = this;
    const scheduling = this.api('scheduling');
    const token = this.assistantToken(a.key);
    for (const s of plan.series.filter((x) => x.assistantKey === a.key)) {
      const engagementId = this.engagementId(s.engagementKey);
      await waitFor(`scheduling to learn engagement ${s.engagementKey}`, async () => (await scheduling.get('scheduling', `/engagements/${engagementId}/scheduling-policy`, this.admin, { accept: [404] })).status === 200);
      const body = { engagementId, kind: s.kind, startsAt: s.startsAt, endsAt: s.endsAt, title: s.title, recurrence: { every: 'week', count: s.count } };
      const r = await scheduling.write<{ occurrences: { id: string; startsAt: string }[] }>('scheduling', 'POST', '/appointments', token, body, this.key(`series-${s.key}`));
      const planned = plan.appointments.filter((x) => x.seriesKey === s.key).sort((x, y) => x.occurrence! - y.occurrence!);
      const got = r.occurrences.map((o) => o.startsAt).join(' ');
      if (got !== planned.map((x) => x.startsAt).join(' ')) throw new Error(`scheduling expanded the series ${s.key} to ${got}, the plan to ${planned.map((x) => x.startsAt).join(' ')}`);
      planned.forEach((x, i) => this.ids.appointments.set(x.key, r.occurrences[i].id));
    }
    for (const x of plan.appointments.filter((y) => y.assistantKey === a.key && y.seriesKey === null)) {
      const body = { engagementId: this.engagementId(x.engagementKey), kind: x.kind, startsAt: x.startsAt, endsAt: x.endsAt, title: x.title };
      this.ids.appointments.set(x.key, (await scheduling.write<{ id: string }>('scheduling', 'POST', '/appointments', token, body, this.key(`appointment-${x.key}`))).id);
    }
  }

  /**
   * The clock walks through the eight weeks, stopping where something happens (everything due at one
   * instant goes together): a call kept 25 minutes into it, a change asked for. It ends at the real
   * time, and the no-shows are those the scheduler then records.
   */
  private async walk(): Promise<SeedCounts['appointments']> {
    const { plan } = this;
    const scheduling = this.api('scheduling');
    const t = Date.now();
    const id = (x: DemoAppointment) => this.ids.appointments.get(x.key)!;
    const by = (x: DemoAppointment, who: 'assistant' | 'client') => (who === 'assistant' ? this.assistantToken(x.assistantKey) : this.clientToken(x.clientKey));
    const steps: { at: string; run: () => Promise<unknown> }[] = [];
    for (const x of plan.appointments) {
      const ch = x.change;
      if (ch?.type === 'reschedule') steps.push({ at: ch.at, run: () => scheduling.write('scheduling', 'POST', `/appointments/${id(x)}/reschedule`, by(x, ch.by), { startsAt: ch.startsAt, endsAt: ch.endsAt, reason: ch.reason }, this.key(`reschedule-${x.key}`)) });
      if (ch?.type === 'cancel') steps.push({ at: ch.at, run: () => scheduling.write('scheduling', 'POST', `/appointments/${id(x)}/cancel`, by(x, ch.by), { reason: ch.reason }, this.key(`cancel-${x.key}`)) });
      if (x.keptAt) steps.push({ at: x.keptAt, run: () => scheduling.write('scheduling', 'POST', `/appointments/${id(x)}/kept`, by(x, 'assistant'), {}, this.key(`kept-${x.key}`)) });
    }
    const instants = [...new Set(steps.map((s) => s.at))].sort();
    for (const at of instants) {
      await this.clockAt('scheduling', at);
      await each(
        steps.filter((s) => s.at === at),
        this.concurrency,
        async (s) => void (await s.run()),
      );
    }
    const end = new Date().toISOString();
    await this.clockAt('scheduling', end);

    // what the service must count now (the assistants' side of the changes)
    const ended = (x: DemoAppointment) => Date.parse(x.change?.endsAt ?? x.endsAt) <= Date.parse(end);
    const theirs = (type: 'reschedule' | 'cancel', late: boolean) => plan.appointments.filter((x) => x.change?.type === type && x.change.late === late && x.change.by === 'assistant').length;
    const expected: Reliability = {
      kept: plan.appointments.filter((x) => x.outcome === 'kept').length,
      rescheduledInTime: theirs('reschedule', false),
      rescheduledLate: theirs('reschedule', true),
      cancelledInTime: theirs('cancel', false),
      cancelledLate: theirs('cancel', true),
      noShow: plan.appointments.filter((x) => x.outcome !== 'kept' && x.outcome !== 'cancelled' && ended(x)).length,
    };
    let seen: Reliability | null = null;
    await waitFor(
      'the scheduling service to record the no-shows (its scheduler marks them on its clock)',
      async () => {
        const all = await Promise.all(plan.assistants.map(async (a) => (await scheduling.get<Reliability>('scheduling', `/assistants/${this.ids.assistants.get(a.key)}/reliability`, this.admin)).body));
        const sum = (k: keyof Reliability) => all.reduce((s, r) => s + r[k], 0);
        seen = { kept: sum('kept'), rescheduledInTime: sum('rescheduledInTime'), rescheduledLate: sum('rescheduledLate'), cancelledInTime: sum('cancelledInTime'), cancelledLate: sum('cancelledLate'), noShow: sum('noShow') };
        return JSON.stringify(seen) === JSON.stringify(expected);
      },
      60_000,
      500,
    ).catch((err: Error) => {
      throw new Error(`${err.message}: expected ${JSON.stringify(expected)}, the service counts ${JSON.stringify(seen)}`);
    });
    this.log(`calendar: ${plan.appointments.length} appointments, the clock walked through ${instants.length} instants in ${seconds(t)}; ${expected.kept} kept, ${expected.noShow} no-shows (at ${seconds(this.started)})`);
    const changed = plan.appointments.filter((x) => x.change);
    return {
      booked: plan.appointments.length,
      series: plan.series.length,
      kept: expected.kept,
      noShow: expected.noShow,
      lateChanges: changed.filter((x) => x.change!.late).length,
      changesInTime: changed.filter((x) => !x.change!.late).length,
    };
  }

  // ------------------------------------------------------------ time and timesheets (time-tracking)

  /**
   * An assistant logs their eight weeks, entry after entry (their timelog decides each), checks what
   * time-tracking made of them (the agency's rounding, their week), submits their weeks and has their
   * clients review the recent ones.
   */
  private async time(a: DemoAssistant): Promise<void> {
    const { plan } = this;
    const tt = this.api('timeTracking');
    const token = this.assistantToken(a.key);
    const mine = plan.engagements.filter((e) => e.assistantKey === a.key);
    for (const e of mine) {
      await waitFor(`time-tracking to learn engagement ${e.key}`, async () => (await tt.get('timeTracking', `/time-entries?engagementId=${this.engagementId(e.key)}&limit=1`, this.admin, { accept: [404] })).status === 200);
    }
    const entries = plan.entries.filter((x) => x.assistantKey === a.key);
    const body = (x: DemoEntry) => ({ category: x.category, startedAt: x.startedAt, endedAt: x.endedAt, billable: x.billable, notes: x.notes });
    let position = 0;
    for (const x of entries) {
      const r = await tt.write<{ id: string; position: number }>('timeTracking', 'POST', '/time-entries', token, { engagementId: this.engagementId(x.engagementKey), ...body(x) }, this.key(`entry-${x.key}`));
      this.ids.entries.set(x.key, r.id);
      position = Math.max(position, r.position);
    }
    // An entry logged before time-tracking heard of the agency's rules (they come on another
    // partition) is logged again with them: PUT recomputes an open entry with the rules of now.
    for (let attempt = 0; ; attempt++) {
      const listed = new Map<string, ListedEntry>();
      for (const e of mine) {
        const page = (await tt.get<{ items: ListedEntry[] }>('timeTracking', `/time-entries?engagementId=${this.engagementId(e.key)}&limit=500&minPosition=${position}`, this.admin)).body;
        for (const l of page.items) listed.set(l.id, l);
      }
      const wrong = entries.filter((x) => {
        const l = listed.get(this.ids.entries.get(x.key)!);
        return !l || l.billedMinutes !== billedOf(minutesOf(x), x.billable) || l.isoWeek !== x.isoWeek;
      });
      if (wrong.length === 0) break;
      if (attempt === 3) {
        const x = wrong[0];
        throw new Error(`time-tracking holds ${wrong.length} of ${a.name}'s entries other than planned, e.g. ${x.key}: ${JSON.stringify(listed.get(this.ids.entries.get(x.key)!) ?? null)} (planned: ${billedOf(minutesOf(x), x.billable)} billed minutes in ${x.isoWeek})`);
      }
      this.log(`${wrong.length} of ${a.name}'s entries were logged before time-tracking knew the agency's rounding: logging them again`);
      await new Promise((r) => setTimeout(r, 1000));
      for (const x of wrong) {
        const r = await tt.write<{ position: number }>('timeTracking', 'PUT', `/time-entries/${this.ids.entries.get(x.key)}`, token, body(x), this.key(`entry-again-${attempt}-${x.key}`));
        position = Math.max(position, r.position);
      }
    }
    // timesheets: every week but this one submitted; the one a client rejects is corrected and sent
    // again; the recent weeks approved by the clients themselves (some of last week still waits)
    const sheets = plan.sheets.filter((s) => s.assistantKey === a.key);
    const path = (s: DemoSheet, action: string) => `/timesheets/${this.engagementId(s.engagementKey)}/${s.isoWeek}/${action}`;
    const key = (s: DemoSheet, action: string) => this.key(`${action}-${s.engagementKey}-${s.isoWeek}`);
    for (const s of sheets.filter((x) => x.outcome !== 'open')) {
      position = Math.max(position, (await tt.write<{ position: number }>('timeTracking', 'POST', path(s, 'submit'), token, {}, key(s, 'submit'))).position);
    }
    for (const s of sheets.filter((x) => x.outcome === 'rejected-then-approved')) {
      await tt.write('timeTracking', 'POST', path(s, 'reject'), this.clientToken(s.clientKey), { reason: s.rejection }, key(s, 'reject'));
      const week = entries.filter((x) => x.engagementKey === s.engagementKey && x.isoWeek === s.isoWeek);
      const longest = week.reduce((m, x) => (minutesOf(x) > minutesOf(m) ? x : m), week[0]);
      await tt.write('timeTracking', 'PUT', `/time-entries/${this.ids.entries.get(longest.key)}`, token, { ...body(longest), notes: s.correction ?? longest.notes }, key(s, 'correct'));
      await tt.write('timeTracking', 'POST', path(s, 'submit'), token, {}, key(s, 'resubmit'));
    }
    for (const s of sheets.filter((x) => x.outcome === 'approved-by-client' || x.outcome === 'rejected-then-approved')) {
      await tt.write('timeTracking', 'POST', path(s, 'approve'), this.clientToken(s.clientKey), {}, key(s, 'approve'));
    }
    this.timePosition = Math.max(this.timePosition, position);
  }

  /** The agency approves the older weeks on the clients' behalf, a week at a time for everyone. */
  private async approveInBulk(): Promise<void> {
    const { plan } = this;
    const tt = this.api('timeTracking');
    const weeks = [...new Set(plan.sheets.filter((s) => s.outcome === 'approved-by-agency').map((s) => s.isoWeek))].sort();
    for (const isoWeek of weeks) {
      const expected = plan.sheets.filter((s) => s.outcome === 'approved-by-agency' && s.isoWeek === isoWeek).length;
      // the bulk approval finds the submitted weeks in the read model: let it reach the submits
      await waitFor(`time-tracking to read the submitted weeks of ${isoWeek}`, async () => (await tt.get('timeTracking', `/timesheets?isoWeek=${isoWeek}&status=submitted&limit=1&minPosition=${this.timePosition}`, this.admin)).status === 200);
      const r = await tt.write<{ approved: number; failed: unknown[] }>('timeTracking', 'POST', '/timesheets/approve-bulk', this.admin, { isoWeek }, this.key(`approve-bulk-${isoWeek}`));
      if (r.approved !== expected || r.failed.length > 0) throw new Error(`the agency's bulk approval of ${isoWeek} approved ${r.approved} of ${expected} weeks (failed: ${JSON.stringify(r.failed)})`);
    }
    this.log(`time: ${plan.entries.length} entries, ${plan.sheets.length} weeks (${weeks.length} approved by the agency in bulk) at ${seconds(this.started)}`);
  }

  // ------------------------------------------------------------ billing

  /**
   * A billing run for each past month with approved time, once billing has heard of all of it; then
   * every invoice state: issued (oldest first, so the numbers follow), paid, voided, credited, drafts.
   */
  private async billing(): Promise<{ invoices: Record<InvoiceStatus, number>; creditNotes: number; periods: string[] }> {
    const { plan } = this;
    const billing = this.api('billing');
    const approved = new Set(plan.sheets.filter((s) => s.outcome !== 'submitted' && s.outcome !== 'open').map((s) => `${s.engagementKey}/${s.isoWeek}`));
    const approvedEntries = plan.entries.filter((x) => approved.has(`${x.engagementKey}/${x.isoWeek}`));
    // the past months the eight weeks cover (a weekend before week -8 aside), else the last one: a
    // month billed with only part of its time would roll the rest of a retainer over
    const months = [...new Set(approvedEntries.map((x) => x.month))].filter((m) => m < plan.month).sort();
    const covered = months.filter((m) => `${m}-01` >= DateTime.fromISO(plan.weeks[0].monday).minus({ days: 2 }).toISODate()!);
    const periods = covered.length > 0 ? covered : months.slice(-1);
    const invoices: Invoice[] = [];
    for (const period of periods) {
      const minutes = approvedEntries.filter((x) => x.month === period).reduce((s, x) => s + billedOf(minutesOf(x), x.billable), 0);
      await waitFor(`billing to learn the ${minutes} approved minutes of ${period}`, async () => {
        const items = (await billing.get<{ items: { billedMinutes: number }[] }>('billing', `/payouts?period=${period}`, this.admin)).body.items;
        return items.reduce((s, p) => s + p.billedMinutes, 0) === minutes;
      });
      // Every client with an engagement running in the period gets an invoice. A run made before
      // billing heard of one of them drafts it when run again (a run never drafts an invoice twice);
      // a new key per attempt, since the same key would replay the first run's answer.
      const billed = new Set(plan.engagements.filter((e) => e.startsOn <= `${period}-31`).map((e) => this.ids.clients.get(e.clientKey)!));
      let drafted: Invoice[] = [];
      let attempt = 0;
      await waitFor(`the billing run of ${period} to invoice ${billed.size} clients`, async () => {
        const run = await billing.write<{ position: number; failed: unknown[] }>('billing', 'POST', '/billing-runs', this.admin, { period }, this.key(`billing-run-${period}-${attempt++}`));
        if (run.failed.length > 0) throw new Error(`the billing run of ${period} failed for ${JSON.stringify(run.failed)}`);
        drafted = (await billing.get<{ items: Invoice[] }>('billing', `/invoices?period=${period}&minPosition=${run.position}`, this.admin)).body.items;
        return drafted.length === billed.size && drafted.every((i) => billed.has(i.clientId));
      });
      const nameOf = new Map(plan.clients.map((c) => [this.ids.clients.get(c.key)!, c.name]));
      invoices.push(...drafted.sort((x, y) => nameOf.get(x.clientId)!.localeCompare(nameOf.get(y.clientId)!)));
    }
    const roles = invoiceRoles(invoices, plan.month);
    for (const inv of invoices) {
      if (roles.get(inv.id) !== 'draft') await billing.write('billing', 'POST', `/invoices/${inv.id}/issue`, this.admin, {}, this.key(`issue-${inv.id}`));
    }
    const done: Record<InvoiceStatus, number> = { draft: 0, issued: 0, paid: 0, void: 0 };
    let creditNotes = 0;
    await each(invoices, this.concurrency, async (inv) => {
      const role = roles.get(inv.id)!;
      if (role === 'paid' || role === 'paid-credited') await billing.write('billing', 'POST', `/invoices/${inv.id}/pay`, this.admin, {}, this.key(`pay-${inv.id}`));
      if (role === 'void') await billing.write('billing', 'POST', `/invoices/${inv.id}/void`, this.admin, { reason: 'Issued in error: billed to the client’s former company.' }, this.key(`void-${inv.id}`));
      if (role === 'paid-credited') {
        const amount = { amountMinor: Math.max(1, Math.round(inv.total.amountMinor / 10)), currency: inv.total.currency };
        await billing.write('billing', 'POST', `/invoices/${inv.id}/credit-notes`, this.admin, { amount, reason: 'Goodwill credit of 10 % for a missed weekly check-in.' }, this.key(`credit-${inv.id}`));
        creditNotes++;
      }
      done[role === 'paid-credited' ? 'paid' : role]++;
    });
    this.log(`billing: ${invoices.length} invoices over ${periods.join(', ')} at ${seconds(this.started)}`);
    return { invoices: done, creditNotes, periods };
  }

  // ------------------------------------------------------------ the report

  private counts(appointments: SeedCounts['appointments'], billed: { invoices: Record<InvoiceStatus, number>; creditNotes: number; periods: string[] }): SeedCounts {
    const { plan } = this;
    const nameOf = (clientKey: string) => plan.clients.find((c) => c.key === clientKey)!.name;
    const phases = { '1': 0, '2': 0, '3': 0 };
    for (const e of plan.engagements) phases[String(plan.phaseChanges.find((p) => p.engagementKey === e.key)?.to ?? e.phase) as '1' | '2' | '3']++;
    const retainers = plan.engagements.filter((e) => e.plan.type === 'retainer');
    return {
      assistants: plan.assistants.length,
      zones: [...new Set(plan.assistants.map((a) => a.timezone))],
      clients: plan.clients.length,
      engagements: plan.engagements.length,
      phases,
      plans: { hourly: plan.engagements.length - retainers.length, retainer: retainers.length, retainerWithRollover: retainers.filter((e) => e.plan.type === 'retainer' && e.plan.rollover).length },
      appointments,
      timeEntries: plan.entries.length,
      billedHours: Math.round(plan.entries.reduce((s, x) => s + billedOf(minutesOf(x), x.billable), 0) / 6) / 10,
      weeks: {
        approved: plan.sheets.filter((s) => s.outcome !== 'submitted' && s.outcome !== 'open').length,
        submitted: plan.sheets.filter((s) => s.outcome === 'submitted').length,
        rejectedThenApproved: plan.sheets.filter((s) => s.outcome === 'rejected-then-approved').length,
        open: plan.sheets.filter((s) => s.outcome === 'open').length,
      },
      invoices: billed.invoices,
      creditNotes: billed.creditNotes,
      payoutPeriods: billed.periods,
      communications: plan.communications.length,
      notices: plan.notices.length,
      phaseChanges: plan.phaseChanges.length,
      silentEngagement: nameOf(plan.engagements.find((e) => e.role === 'silent')!.clientKey),
      retainerPast80: {
        client: nameOf(plan.engagements.find((e) => e.key === plan.retainer.engagementKey)!.clientKey),
        month: plan.retainer.month,
        percent: Math.floor((plan.retainer.usedMinutes * 100) / plan.retainer.includedMinutes),
      },
    };
  }
}

/** One line of what the demo agency holds. */
export function summaryOf(c: SeedCounts): string {
  const inv = c.invoices;
  return (
    `${c.assistants} assistants (Manila, London, New York, Buenos Aires), ${c.clients} clients, ${c.engagements} engagements ` +
    `(trust phase I ${c.phases['1']}, II ${c.phases['2']}, III ${c.phases['3']}; ${c.plans.hourly} hourly, ${c.plans.retainer} retainers, ${c.plans.retainerWithRollover} rolling over); ` +
    `${c.appointments.booked} appointments (${c.appointments.kept} kept, ${c.appointments.noShow} no-shows, ${c.appointments.lateChanges} late changes); ` +
    `${c.timeEntries} time entries (${c.billedHours} h billed, rounded up to 15 min), ${c.weeks.approved} weeks approved, ${c.weeks.submitted} awaiting approval; ` +
    `${inv.draft + inv.issued + inv.paid + inv.void} invoices (${inv.draft} draft, ${inv.issued} issued, ${inv.paid} paid, ${inv.void} void), ${c.creditNotes} credit note, payouts for ${c.payoutPeriods.join(' and ')}; ` +
    `a notice running, ${c.silentEngagement} gone silent, ${c.retainerPast80.client}'s retainer at ${c.retainerPast80.percent} %`
  );
}

type InvoiceRole = 'draft' | 'issued' | 'paid' | 'paid-credited' | 'void';

/**
 * Every state an invoice can be in, over the invoices of the billed months (oldest month first): the
 * older months are paid, save one voided, one credited after payment and one still unpaid; of the last
 * month three are still drafts and the others alternate between paid and issued. With one month billed,
 * its first invoices take the voided, credited and unpaid parts.
 */
export function invoiceRoles(invoices: Pick<Invoice, 'id' | 'period'>[], currentMonth: string): Map<string, InvoiceRole> {
  const last = invoices.map((i) => i.period).filter((p) => p < currentMonth).sort().at(-1);
  const roles = new Map<string, InvoiceRole>();
  const older = invoices.filter((i) => i.period !== last);
  const latest = invoices.filter((i) => i.period === last);
  older.forEach((i) => roles.set(i.id, 'paid'));
  latest.forEach((i, n) => roles.set(i.id, n >= latest.length - 3 ? 'draft' : n % 2 === 0 ? 'paid' : 'issued'));
  const [voided, credited, unpaid] = older.length >= 3 ? older : latest;
  if (voided) roles.set(voided.id, 'void');
  if (credited) roles.set(credited.id, 'paid-credited');
  if (unpaid) roles.set(unpaid.id, 'issued');
  return roles;
}
