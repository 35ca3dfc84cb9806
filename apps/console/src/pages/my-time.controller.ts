import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Reliability } from '@vaops/contracts';
import { DateTime } from 'luxon';
import type { Principal } from '@vaops/platform';
import { ServiceError, ServicesApi, type Page } from '../api';
import { ConsoleCalendar } from '../calendar';
import type { ConsoleConfig } from '../config';
import { html, page, type Html } from '../html';
import type { Session } from '../session';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { field, type Form, refuse, sessionAs, UUID } from './forms';
import { money } from './money';
import { namesOf } from './names';
import type { Person } from './people';

interface Timer {
  engagementId: string;
  clientId: string;
  category: string;
  startedAt: string;
}
interface Engagement {
  id: string;
  clientId: string;
  status: 'active' | 'in-notice' | 'ended';
}
interface Entry {
  id: string;
  engagementId: string;
  category: string;
  startedAt: string;
  endedAt: string;
  actualMinutes: number;
  billedMinutes: number;
  status: string;
  isoWeek: string;
}
interface Payout {
  period: string;
  billedMinutes: number;
  amount: { amountMinor: number; currency: string };
}
interface Category {
  id: string;
  title: string;
}

const CATEGORY = /^[a-z][a-z-]{0,49}$/;
const ISO_WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;
/** The ISO week around `now`, Monday 00:00 to the Monday after on the wall clocks of `now`'s zone, as instants. */
function weekOf(now: DateTime): { from: string; to: string } {
  const monday = now.startOf('week');
  return { from: monday.toUTC().toISO()!, to: monday.plus({ weeks: 1 }).toUTC().toISO()! };
}

/** An assistant's own time: the timer (start on one of their engagements, stop), and this week's entries. */
@Controller('my-time')
export class MyTimeController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly api: ServicesApi,
    private readonly calendar: ConsoleCalendar,
  ) {}

  @Get()
  async show(@Req() req: PageRequest, @Res() res: PageResponse, @Query('done') done?: string): Promise<void> {
    const session = this.assistant(req, res);
    if (!session) return;
    const { token, principal: p } = session;
    const assistantId = p.role === 'assistant' ? p.assistantId : '';
    // this week is the assistant's, as their timesheets count it; a month is the agency's, as billing counts it
    const [self, agencyZone] = await Promise.all([this.api.get<Person>('clients', `/assistants/${assistantId}`, token), this.calendar.agencyZone(token)]);
    const { from, to } = weekOf(this.calendar.in(self.timezone));
    // payouts of this month and the two before: approved time × pay rate, as billing computes them
    const months = [0, 1, 2].map((back) => this.calendar.in(agencyZone).minus({ months: back }).toFormat('yyyy-MM'));
    // the last three weeks' entries not yet submitted (or sent back): the weeks the assistant can submit
    const since = DateTime.fromISO(from).minus({ weeks: 2 }).toUTC().toISO()!;
    const [{ timer }, engagements, entries, categories, reliability, payouts, recent] = await Promise.all([
      this.api.get<{ timer: Timer | null }>('timeTracking', '/timers/current', token),
      this.api.all<Engagement>('clients', `/engagements?assistantId=${assistantId}`, token, 200),
      this.api.get<Page<Entry>>('timeTracking', `/time-entries?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=200`, token),
      this.api.get<{ items: Category[] }>('clients', '/duty-categories', token),
      this.api.get<Reliability>('scheduling', `/assistants/${assistantId}/reliability`, token),
      Promise.all(months.map(async (period) => (await this.api.get<{ items: Payout[] }>('billing', `/payouts?period=${period}`, token)).items[0] ?? { period, billedMinutes: 0, amount: null })),
      this.api.all<Entry>('timeTracking', `/time-entries?from=${encodeURIComponent(since)}&to=${encodeURIComponent(to)}`, token, 1_000),
    ]);
    const toSubmit = new Map<string, { engagementId: string; isoWeek: string; minutes: number; rejected: boolean }>();
    for (const e of recent) {
      if (e.status !== 'open' && e.status !== 'rejected') continue;
      const key = `${e.engagementId}/${e.isoWeek}`;
      const week = toSubmit.get(key) ?? { engagementId: e.engagementId, isoWeek: e.isoWeek, minutes: 0, rejected: false };
      week.minutes += e.billedMinutes;
      week.rejected ||= e.status === 'rejected';
      toSubmit.set(key, week);
    }
    const open = engagements.filter((e) => e.status !== 'ended');
    const names = await namesOf(this.api, token, { clients: engagements.map((e) => e.clientId) });
    const clientOf = new Map(engagements.map((e) => [e.id, names.get(e.clientId) ?? '(unknown)']));
    const timerPart: Html = timer
      ? html`<p data-testid="timer">Running since <time data-viewer datetime="${timer.startedAt}">${timer.startedAt}</time> for ${names.get(timer.clientId) ?? '(unknown)'} (${timer.category}).</p>
          <form method="post" action="/my-time/stop"><button type="submit">Stop the timer</button></form>`
      : html`<p data-testid="timer">No timer is running.</p>
          <form method="post" action="/my-time/start">
            <label>Client <select name="engagementId" required>${open.map((e) => html`<option value="${e.id}">${clientOf.get(e.id)}</option>`)}</select></label>
            <label>Duty <select name="category" required>${categories.items.map((c) => html`<option value="${c.id}">${c.title}</option>`)}</select></label>
            <button type="submit">Start the timer</button>
          </form>`;
    const rows = entries.items.map(
      (e) => html`<tr><td><time data-viewer datetime="${e.startedAt}">${e.startedAt}</time></td><td>${clientOf.get(e.engagementId) ?? ''}</td><td>${e.category}</td><td>${e.actualMinutes} min</td><td>${e.billedMinutes} min</td><td>${e.status}</td></tr>`,
    );
    const body = html`
      ${done ? html`<p role="status">${done}</p>` : html``}
      <h2>Timer</h2>
      ${timerPart}
      <h2>This week</h2>
      ${
        entries.items.length === 0
          ? html`<p class="muted">No time logged this week.</p>`
          : html`<table><thead><tr><th scope="col">Started</th><th scope="col">Client</th><th scope="col">Duty</th><th scope="col">Actual</th><th scope="col">Billed</th><th scope="col">Status</th></tr></thead><tbody>${rows}</tbody></table>`
      }`;
    const weeks = [...toSubmit.values()].sort((a, b) => a.isoWeek.localeCompare(b.isoWeek));
    const submitPart = html`
      <h2>Weeks to submit</h2>
      ${
        weeks.length === 0
          ? html`<p class="muted">Nothing waits to be submitted.</p>`
          : html`<ul>${weeks.map(
              (w) => html`<li><form class="inline" method="post" action="/my-time/submit"><input type="hidden" name="engagementId" value="${w.engagementId}"><input type="hidden" name="isoWeek" value="${w.isoWeek}">
                ${w.isoWeek} for ${clientOf.get(w.engagementId) ?? '(unknown)'}: ${Math.round(w.minutes / 6) / 10} h billed${w.rejected ? ' (sent back: corrected?)' : ''}
                <button type="submit" aria-label="Submit ${w.isoWeek} for ${clientOf.get(w.engagementId) ?? ''}">Submit</button></form></li>`,
            )}</ul>`
      }`;
    const r = reliability;
    const tail = html`${submitPart}
      <h2>My reliability</h2>
      <p data-testid="reliability">${r.kept} kept · ${r.noShow} no-show · ${r.rescheduledLate} moved late · ${r.cancelledLate} cancelled late <span class="muted">(${r.rescheduledInTime} moved and ${r.cancelledInTime} cancelled in time, which do not count against you)</span></p>
      <h2>My payouts</h2>
      <table data-testid="payouts"><thead><tr><th scope="col">Month</th><th scope="col">Approved billable time</th><th scope="col">Payout</th></tr></thead>
      <tbody>${payouts.map((x) => html`<tr><td>${x.period}</td><td>${Math.round(x.billedMinutes / 6) / 10} h</td><td>${x.amount ? money(x.amount) : '–'}</td></tr>`)}</tbody></table>
      <p class="muted">A month's payout is its approved billable time at your pay rate; it grows as clients approve weeks.</p>`;
    res.type('html').send(page('My time', html`${body}${tail}`, p));
  }

  @Post('start')
  async start(@Req() req: PageRequest, @Res() res: PageResponse, @Body() body: Form): Promise<void> {
    const session = this.assistant(req, res);
    if (!session) return;
    const [engagementId, category] = [field(body, 'engagementId'), field(body, 'category')];
    if (!UUID.test(engagementId) || !CATEGORY.test(category)) return this.refuse(res, session.principal, 400, 'Choose a client and a duty.');
    try {
      await this.api.post('timeTracking', '/timers/start', session.token, { engagementId, category });
    } catch (err) {
      if (err instanceof ServiceError && err.status === 409) return this.refuse(res, session.principal, 409, err.message);
      throw err;
    }
    res.redirect(303, `/my-time?${new URLSearchParams({ done: 'Timer started.' })}`);
  }

  @Post('stop')
  async stop(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    const session = this.assistant(req, res);
    if (!session) return;
    let stopped: { id: string | null };
    try {
      stopped = await this.api.post<{ id: string | null }>('timeTracking', '/timers/stop', session.token);
    } catch (err) {
      if (err instanceof ServiceError && err.status === 409) return this.refuse(res, session.principal, 409, err.message);
      throw err;
    }
    res.redirect(303, `/my-time?${new URLSearchParams({ done: stopped.id ? 'Timer stopped: the time is logged.' : 'Timer stopped: under a minute, nothing logged.' })}`);
  }

  @Post('submit')
  async submit(@Req() req: PageRequest, @Res() res: PageResponse, @Body() body: Form): Promise<void> {
    const session = this.assistant(req, res);
    if (!session) return;
    const [engagementId, isoWeek] = [field(body, 'engagementId'), field(body, 'isoWeek')];
    if (!UUID.test(engagementId) || !ISO_WEEK.test(isoWeek)) return this.refuse(res, session.principal, 400, 'Choose a week of one of your engagements.');
    try {
      await this.api.post('timeTracking', `/timesheets/${engagementId}/${isoWeek}/submit`, session.token);
    } catch (err) {
      if (err instanceof ServiceError && err.status >= 400 && err.status < 500 && err.status !== 401) return this.refuse(res, session.principal, err.status, err.message);
      throw err;
    }
    res.redirect(303, `/my-time?${new URLSearchParams({ done: `${isoWeek} submitted: the client reviews it now.` })}`);
  }

  /** The session of an assistant; anyone else is told this page is not theirs. */
  private assistant(req: PageRequest, res: PageResponse): Session | null {
    return sessionAs(this.config, req, res, ['assistant'], { title: 'My time', message: 'Only an assistant keeps time here.', back: { href: '/my-time', label: 'My time' } });
  }

  private refuse(res: PageResponse, p: Principal, status: number, message: string): void {
    refuse(res, p, 'My time', status, message, { href: '/my-time', label: 'My time' });
  }
}
