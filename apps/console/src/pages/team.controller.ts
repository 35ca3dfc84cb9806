import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Reliability } from '@vaops/contracts';
import { DateTime } from 'luxon';
import { ServicesApi, type Page } from '../api';
import { ConsoleCalendar } from '../calendar';
import type { ConsoleConfig } from '../config';
import { html, page } from '../html';
import { sessionOf, type Session } from '../session';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { attempt, CURRENCIES, field, type Form, minorUnits, options, refuse, sessionAs, TIME_ZONES } from './forms';
import type { Person } from './people';

interface Utilization {
  assistantId: string;
  loggedMinutes: number;
  capacityMinutes: number;
  utilization: number;
}
interface Concentration {
  largestClientShare: number | null;
}

export const TEAM_PER_PAGE = 25;
const WEEK = /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/;
const TREND_WEEKS = 4;
const pct = (x: number) => `${Math.round(x * 100)} %`;
const hours = (minutes: number) => `${Math.round(minutes / 6) / 10} h`;

const weekStart = (w: string): DateTime => DateTime.fromISO(w.replace(/^(\d{4})-W(\d{2})$/, '$1-W$2-1'), { zone: 'utc' });
const isoWeek = (d: DateTime): string => `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;

/**
 * Team: each assistant's utilization for a week (logged against capacity) with its trend over the
 * weeks before, capacity left, income concentration (the largest client's share of the month) and
 * reliability; a chart of the week's utilization (Chart.js, served by the console) over a table.
 */
@Controller('team')
export class TeamController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly api: ServicesApi,
    private readonly calendar: ConsoleCalendar,
  ) {}

  @Get()
  async show(@Req() req: PageRequest, @Res() res: PageResponse, @Query('week') week?: string, @Query('cursor') cursor?: string, @Query('done') done?: string): Promise<void> {
    const session = sessionOf(this.config, req.headers.cookie);
    if (!session) return res.redirect(303, '/signin');
    const { principal: p, token } = session;
    const back = { href: '/today', label: 'Today' };
    if (p.role !== 'agency-admin') return refuse(res, p, 'Team', 403, "The team's figures are the agency's.", back);
    if (week !== undefined && (!WEEK.test(week) || !weekStart(week).isValid)) return refuse(res, p, 'Team', 400, 'week must be an ISO week such as 2026-W11.', back);
    // this week on the agency's calendar
    const shown = week ?? isoWeek(this.calendar.in(await this.calendar.agencyZone(token)));
    const weeks = Array.from({ length: TREND_WEEKS }, (_, i) => isoWeek(weekStart(shown).minus({ weeks: TREND_WEEKS - 1 - i })));
    const page1 = await this.api.get<Page<Person>>('clients', `/assistants?limit=${TEAM_PER_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    const ids = new Set(page1.items.map((a) => a.id));
    const month = weekStart(shown).plus({ days: 3 }).toFormat('yyyy-MM');
    // the page's assistants in one request per figure (not one per assistant)
    const listed = page1.items.map((a) => a.id).join(',');
    const [byWeek, concentrations, reliabilities] = await Promise.all([
      Promise.all(weeks.map(async (w) => new Map((await this.api.all<Utilization>('analytics', `/analytics/utilization?week=${w}`, token, 5_000)).filter((u) => ids.has(u.assistantId)).map((u) => [u.assistantId, u])))),
      listed ? this.api.get<{ items: (Concentration & { assistantId: string })[] }>('analytics', `/analytics/assistants/concentration?period=${month}&assistantIds=${listed}`, token) : { items: [] },
      listed ? this.api.get<{ items: (Reliability & { assistantId: string })[] }>('analytics', `/analytics/assistants/reliability?assistantIds=${listed}`, token) : { items: [] },
    ]);
    const concentrationOf = new Map(concentrations.items.map((c) => [c.assistantId, c]));
    const reliabilityOf = new Map(reliabilities.items.map((r) => [r.assistantId, r]));
    const concentration = page1.items.map((a) => concentrationOf.get(a.id) ?? null);
    const reliability = page1.items.map((a) => reliabilityOf.get(a.id) ?? null);
    const current = byWeek[TREND_WEEKS - 1];
    const chart = {
      type: 'bar',
      data: { labels: page1.items.map((a) => a.name), datasets: [{ label: `Utilization ${shown} (%)`, data: page1.items.map((a) => Math.round((current.get(a.id)?.utilization ?? 0) * 100)) }] },
      // the size comes from the stylesheet's .chart box (Chart.js's responsive way)
      options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, suggestedMax: 100 } } },
    };
    const rows = page1.items.map((a, i) => {
      const u = current.get(a.id);
      const trend = weeks.map((w, j) => (byWeek[j].get(a.id) ? pct(byWeek[j].get(a.id)!.utilization) : '–')).join(' → ');
      const r = reliability[i];
      const share = concentration[i]?.largestClientShare;
      return html`<tr data-assistant="${a.id}"><th scope="row">${a.name}</th><td>${u ? pct(u.utilization) : '–'}</td><td>${u ? hours(u.loggedMinutes) : '–'}</td><td>${u ? hours(Math.max(0, u.capacityMinutes - u.loggedMinutes)) : '–'}</td><td>${trend}</td><td>${share === null || share === undefined ? '–' : pct(share)}</td><td>${r ? `${r.kept} kept, ${r.noShow} no-show, ${r.rescheduledLate + r.cancelledLate} late` : '–'}</td></tr>`;
    });
    const prev = isoWeek(weekStart(shown).minus({ weeks: 1 }));
    const next = isoWeek(weekStart(shown).plus({ weeks: 1 }));
    const body = html`
      ${done ? html`<p role="status">${done}</p>` : html``}
      <p><a href="/team/new">Register an assistant</a></p>
      <p><a href="/team?week=${prev}">← ${prev}</a> · <strong>${shown}</strong> · <a href="/team?week=${next}">${next} →</a></p>
      <figure>
        <div class="chart"><canvas id="utilization-chart" role="img" aria-label="Utilization of each assistant in ${shown}, as in the table below" data-chart="${JSON.stringify(chart)}"></canvas></div>
        <figcaption class="muted">Utilization in ${shown}: logged time against weekly capacity.</figcaption>
      </figure>
      <table><thead><tr><th scope="col">Assistant</th><th scope="col">Utilization</th><th scope="col">Logged</th><th scope="col">Capacity left</th><th scope="col">Trend (${weeks[0]} to ${shown})</th><th scope="col">Largest client's share (${month})</th><th scope="col">Reliability</th></tr></thead>
      <tbody>${rows}</tbody></table>
      ${page1.nextCursor ? html`<p><a href="/team?week=${shown}&amp;cursor=${encodeURIComponent(page1.nextCursor)}">More assistants</a></p>` : html``}
      <script src="/assets/chart.js" defer></script>`;
    res.type('html').send(page(`Team, ${shown}`, body, p));
  }

  @Get('new')
  registerForm(@Req() req: PageRequest, @Res() res: PageResponse): void {
    const session = this.agency(req, res);
    if (!session) return;
    const body = html`
      <form method="post" action="/team/new" class="stacked">
        <label>Name <input name="name" required maxlength="200" autocomplete="name"></label>
        <label>Email <input name="email" type="email" required maxlength="320"></label>
        <label>Time zone <select name="timezone" required>${options(TIME_ZONES, 'Asia/Manila')}</select></label>
        <label>Capacity (hours a week, across clients) <input name="weeklyCapacityHours" required inputmode="decimal" value="40" size="5"></label>
        <label>Skills (comma-separated) <input name="skills" maxlength="2000" placeholder="bookkeeping, social-media"></label>
        <label>Pay rate an hour <input name="payRate" required inputmode="decimal" size="8" placeholder="12.00"></label>
        <label>Pay currency <select name="payCurrency">${options(CURRENCIES, 'USD')}</select></label>
        <fieldset><legend>Working hours, Monday to Friday, in the assistant's zone (optional)</legend>
          <label>From <input name="workFrom" type="time" value="09:00"></label>
          <label>To <input name="workTo" type="time" value="17:00"></label>
        </fieldset>
        <button type="submit">Register the assistant</button>
      </form>`;
    res.type('html').send(page('Register an assistant', body, session.principal));
  }

  @Post('new')
  async register(@Req() req: PageRequest, @Res() res: PageResponse, @Body() body: Form): Promise<void> {
    const session = this.agency(req, res);
    if (!session) return;
    const p = session.principal;
    const back = { href: '/team/new', label: 'Back to the form' };
    const bad = (message: string) => refuse(res, p, 'Register an assistant', 400, message, back);
    const capacity = field(body, 'weeklyCapacityHours');
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(capacity)) return bad('weeklyCapacityHours must be a number of hours such as 40.');
    const pay = minorUnits(field(body, 'payRate'));
    if (pay === null) return bad('payRate must be a sum such as 12 or 12.50.');
    const skills = field(body, 'skills').split(',').map((x) => x.trim()).filter(Boolean);
    const [from, to] = [field(body, 'workFrom'), field(body, 'workTo')];
    const assistant = {
      name: field(body, 'name').trim(),
      email: field(body, 'email').trim(),
      timezone: field(body, 'timezone'),
      weeklyCapacityHours: Number(capacity),
      skills,
      payRate: { amountMinor: pay, currency: field(body, 'payCurrency') },
      // the service checks the times: an empty pair means no working hours are set
      ...(from || to ? { workingHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: from, end: to })) } : {}),
    };
    const made = await attempt(res, p, 'Register an assistant', back, () => this.api.post<{ id: string; position: number }>('clients', '/assistants', session.token, assistant));
    if (made) res.redirect(303, `/team?${new URLSearchParams({ done: `${assistant.name} is registered.` })}`);
  }

  private agency(req: PageRequest, res: PageResponse): Session | null {
    return sessionAs(this.config, req, res, ['agency-admin'], { title: 'Team', message: 'Only the agency registers assistants.' });
  }
}
