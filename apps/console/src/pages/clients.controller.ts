import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Principal } from '@vaops/platform';
import { DateTime } from 'luxon';
import { ServicesApi, type Page } from '../api';
import { ConsoleCalendar } from '../calendar';
import type { ConsoleConfig } from '../config';
import { html, page, type Html } from '../html';
import { sessionOf, type Session } from '../session';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { attempt, CURRENCIES, field, type Form, options, refuse, sessionAs, TIME_ZONES, UUID } from './forms';
import { handoverBlock, handoverOf } from './handover';
import { money } from './money';
import type { Person } from './people';

interface Money {
  amountMinor: number;
  currency: string;
}
type Plan = { type: 'hourly'; rate: Money } | { type: 'retainer'; monthlyFee: Money; includedHours: number; overageRate: Money; rollover: boolean };
interface Client extends Person {
  email: string;
  currency: string;
}
interface Engagement {
  id: string;
  version?: number;
  clientId: string;
  assistantId: string;
  kind: string;
  phase: number | null;
  phaseHistory: { phase: number | null; from: string }[];
  plan: Plan;
  status: 'active' | 'in-notice' | 'ended';
  endsOn: string | null;
}
interface Entry {
  startedAt: string;
  billedMinutes: number;
  billable: boolean;
  status: string;
  month?: string;
}

export const CLIENTS_PER_PAGE = 10;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** A month (YYYY-MM) on the agency's calendar: a retainer's hours are counted by the agency's days. */
interface AgencyMonth {
  month: string;
  zone: string;
}

const planText = (plan: Plan): string =>
  plan.type === 'hourly' ? `hourly, ${money(plan.rate)} an hour` : `retainer, ${money(plan.monthlyFee)} a month for ${plan.includedHours} h${plan.rollover ? ', unused hours roll over' : ''}, then ${money(plan.overageRate)} an hour`;
const phaseText = (e: Engagement): string => e.phaseHistory.map((h) => `${h.phase === null ? 'no phase' : `phase ${['I', 'II', 'III'][h.phase - 1] ?? h.phase}`} from ${h.from.slice(0, 10)}`).join(', ');

const PHASES = [
  { value: '1', label: 'Phase I' },
  { value: '2', label: 'Phase II' },
  { value: '3', label: 'Phase III' },
];

/**
 * What may be done to an open engagement from its row: change its trust phase (the agency or the
 * client), give notice (the agency for either side, the client for itself), book an appointment.
 */
function engagementActions(e: Engagement, assistant: string, p: Principal): Html {
  const back = html`<input type="hidden" name="clientId" value="${e.clientId}">`;
  const phase = html`<form class="inline" method="post" action="/engagements/${e.id}/phase">${back}
      <label>Trust phase <select name="phase">${options(PHASES, String(e.phase ?? ''))}</select></label>
      <label>Reason <input name="reason" required maxlength="500" size="24"></label>
      <button type="submit" aria-label="Change phase of ${assistant}'s engagement">Change phase</button></form>`;
  const notice =
    e.status !== 'active'
      ? html``
      : html`<form class="inline" method="post" action="/engagements/${e.id}/notice">${back}
      ${p.role === 'agency-admin' ? html`<label>Given by <select name="by">${options(['client', 'assistant'])}</select></label>` : html`<input type="hidden" name="by" value="client">`}
      <label>Reason <input name="reason" required maxlength="500" size="24"></label>
      <button type="submit" aria-label="Give notice on ${assistant}'s engagement">Give notice</button></form>`;
  const book = html`<a href="/appointments/new?engagementId=${e.id}">Book an appointment with ${assistant}</a>`;
  return html`<div class="actions">${phase} ${notice} <p>${book}</p></div>`;
}

/**
 * Clients: each client's engagements with their kind, trust phase and its history, plan and notice; for
 * a retainer, the month's burn-down (approved hours day by day against the 80 % and 100 % marks).
 */
@Controller('clients')
export class ClientsController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly api: ServicesApi,
    private readonly calendar: ConsoleCalendar,
  ) {}

  @Get()
  async show(@Req() req: PageRequest, @Res() res: PageResponse, @Query('month') month?: string, @Query('cursor') cursor?: string): Promise<void> {
    const session = sessionOf(this.config, req.headers.cookie);
    if (!session) return res.redirect(303, '/signin');
    const { principal: p, token } = session;
    const back = { href: '/today', label: 'Today' };
    // a client's portal: its own engagements only
    if (p.role === 'client') return res.redirect(303, `/clients/${p.clientId}${month ? `?month=${encodeURIComponent(month)}` : ''}`);
    if (p.role !== 'agency-admin') return refuse(res, p, 'Clients', 403, 'The client list is the agency’s.', back);
    if (month !== undefined && !MONTH.test(month)) return refuse(res, p, 'Clients', 400, 'month must be a month such as 2026-03.', back);
    const [clients, zone] = await Promise.all([
      this.api.get<Page<Person>>('clients', `/clients?limit=${CLIENTS_PER_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token),
      this.calendar.agencyZone(token),
    ]);
    // a retainer's month is the agency's
    const shown = month ?? this.calendar.in(zone).toFormat('yyyy-MM');
    const sections = await this.sections(clients.items, { month: shown, zone }, session);
    const body = html`
      <p><a href="/clients/new">Register a client</a> · <a href="/engagements/new">Start an engagement</a></p>
      <form method="get" action="/clients"><label>Month <input name="month" value="${shown}" placeholder="2026-03"></label> <button type="submit">Show</button></form>
      ${sections}
      ${clients.nextCursor ? html`<p><a href="/clients?month=${shown}&amp;cursor=${encodeURIComponent(clients.nextCursor)}">More clients</a></p>` : html``}
      <script src="/assets/chart.js" defer></script>`;
    res.type('html').send(page(`Clients, ${shown}`, body, p));
  }

  @Get('new')
  registerForm(@Req() req: PageRequest, @Res() res: PageResponse): void {
    const session = this.agency(req, res);
    if (!session) return;
    const body = html`
      <form method="post" action="/clients/new" class="stacked">
        <label>Name <input name="name" required maxlength="200" autocomplete="organization"></label>
        <label>Billing email <input name="email" type="email" required maxlength="320"></label>
        <label>Time zone <select name="timezone" required>${options(TIME_ZONES, 'America/New_York')}</select></label>
        <label>Currency <select name="currency" required>${options(CURRENCIES, 'USD')}</select></label>
        <button type="submit">Register the client</button>
      </form>`;
    res.type('html').send(page('Register a client', body, session.principal));
  }

  @Post('new')
  async register(@Req() req: PageRequest, @Res() res: PageResponse, @Body() body: Form): Promise<void> {
    const session = this.agency(req, res);
    if (!session) return;
    const client = { name: field(body, 'name').trim(), email: field(body, 'email').trim(), timezone: field(body, 'timezone'), currency: field(body, 'currency') };
    const made = await attempt(res, session.principal, 'Register a client', { href: '/clients/new', label: 'Back to the form' }, () =>
      this.api.post<{ id: string; position: number }>('clients', '/clients', session.token, client),
    );
    if (made) res.redirect(303, `/clients/${made.id}?${new URLSearchParams({ done: `${client.name} is registered.`, after: String(made.position) })}`);
  }

  /** One client: the agency's view of it with its actions, or the client's own portal page. */
  @Get(':id')
  async one(@Req() req: PageRequest, @Res() res: PageResponse, @Param('id') id: string, @Query('month') month?: string, @Query('done') done?: string, @Query('after') after?: string): Promise<void> {
    const session = sessionOf(this.config, req.headers.cookie);
    if (!session) return res.redirect(303, '/signin');
    const { principal: p, token } = session;
    const back = { href: '/today', label: 'Today' };
    if (p.role === 'assistant') return refuse(res, p, 'Clients', 403, 'Clients’ pages are the agency’s and the client’s own.', back);
    // another client's page does not exist for a client: the same 404 the service gives
    if (!UUID.test(id) || (p.role === 'client' && p.clientId !== id)) return refuse(res, p, 'Not found', 404, 'No such client.', back);
    if ((month !== undefined && !MONTH.test(month)) || (after !== undefined && !/^\d{1,15}$/.test(after))) return refuse(res, p, 'Clients', 400, 'month must be a month such as 2026-03.', back);
    const [client, zone] = await Promise.all([this.api.get<Client>('clients', `/clients/${id}${after ? `?minPosition=${after}` : ''}`, token), this.calendar.agencyZone(token)]);
    const shown = month ?? this.calendar.in(zone).toFormat('yyyy-MM');
    const [section] = await this.sections([client], { month: shown, zone }, session, after);
    const body = html`
      ${done ? html`<p role="status">${done}</p>` : html``}
      ${p.role === 'agency-admin' ? html`<p><a href="/clients">All clients</a> · <a href="/engagements/new?clientId=${id}">Start an engagement for ${client.name}</a> · <a href="/clients/${id}/matches">Suggested assistants</a></p>` : html``}
      <form method="get" action="/clients/${id}"><label>Month <input name="month" value="${shown}" placeholder="2026-03"></label> <button type="submit">Show</button></form>
      ${section}
      <script src="/assets/chart.js" defer></script>`;
    res.type('html').send(page(p.role === 'client' ? `${client.name}: engagements, ${shown}` : `${client.name}, ${shown}`, body, p));
  }

  private async sections(clients: Person[], month: AgencyMonth, session: Session, after?: string): Promise<Html[]> {
    const { token, principal: p } = session;
    const minPosition = after ? `&minPosition=${after}` : '';
    const engagements = await Promise.all(clients.map((c) => this.api.all<Engagement>('clients', `/engagements?clientId=${c.id}${minPosition}`, token, 200)));
    // the handover plans: one read per engagement in notice, none for the others
    const handovers = new Map(await Promise.all(engagements.flat().filter((e) => e.status === 'in-notice').map(async (e) => [e.id, await handoverOf(this.api, e.id, token, after)] as const)));
    // a client may not list the roster: it sees the names of its own assistants (a replacement's among them)
    const name =
      p.role === 'agency-admin'
        ? new Map((await this.api.all<Person>('clients', '/assistants', token, 5_000)).map((a) => [a.id, a.name]))
        : new Map(
            await Promise.all(
              [...new Set([...engagements.flat().map((e) => e.assistantId), ...[...handovers.values()].flatMap((h) => (h ? [h.replacementAssistantId] : []))])].map(
                async (a) => [a, (await this.api.get<Person>('clients', `/assistants/${a}`, token).catch(() => null))?.name ?? '(unknown)'] as const,
              ),
            ),
          );
    const sections: Html[] = [];
    for (const [i, c] of clients.entries()) {
      const rows: Html[] = [];
      for (const e of engagements[i]) {
        const h = handovers.get(e.id);
        rows.push(await this.engagementRow(e, name.get(e.assistantId) ?? '(unknown)', month, token, p, h ? handoverBlock(h, name, c.timezone) : html``));
      }
      sections.push(html`<section aria-labelledby="c-${c.id}"><h2 id="c-${c.id}">${p.role === 'agency-admin' ? html`<a href="/clients/${c.id}">${c.name}</a>` : c.name} <span class="muted">(${c.timezone})</span></h2>${
        rows.length === 0 ? html`<p class="muted">No engagements.</p>` : html`<ul class="engagements">${rows}</ul>`
      }</section>`);
    }
    return sections;
  }

  /** The session of the agency; anyone else is told registering clients is the agency's. */
  private agency(req: PageRequest, res: PageResponse): Session | null {
    return sessionAs(this.config, req, res, ['agency-admin'], { title: 'Clients', message: 'Only the agency registers clients.' });
  }

  private async engagementRow(e: Engagement, assistant: string, month: AgencyMonth, token: string, p: Principal, handover: Html): Promise<Html> {
    const notice = e.status === 'in-notice' ? html` · <strong>in notice</strong>, ends ${e.endsOn}` : e.status === 'ended' ? html` · ended ${e.endsOn ?? ''}` : html``;
    const head = html`<p data-engagement="${e.id}"><strong>${assistant}</strong> · ${e.kind} · ${planText(e.plan)}${notice}<br><span class="muted">${phaseText(e)}</span></p>${handover}`;
    const actions = e.status === 'ended' ? html`` : engagementActions(e, assistant, p);
    if (e.plan.type !== 'retainer') return html`<li>${head}${actions}</li>`;
    return html`<li>${head}${await this.burnDown(e, e.plan.includedHours, month, token)}${actions}</li>`;
  }

  /** Approved billable hours of the month, day by day, against the 80 % and 100 % marks of the included hours. */
  private async burnDown(e: Engagement, includedHours: number, { month, zone }: AgencyMonth, token: string): Promise<Html> {
    const start = DateTime.fromISO(`${month}-01`, { zone });
    const end = start.plus({ months: 1 });
    const entries = await this.api.all<Entry>('timeTracking', `/time-entries?engagementId=${e.id}&from=${encodeURIComponent(start.toUTC().toISO()!)}&to=${encodeURIComponent(end.toUTC().toISO()!)}`, token, 5_000);
    const days = Math.round(end.diff(start, 'days').days);
    const perDay = new Array<number>(days).fill(0);
    for (const x of entries) if (x.status === 'approved' && x.billable) perDay[Math.min(days - 1, Math.floor(DateTime.fromISO(x.startedAt, { zone }).diff(start, 'days').days))] += x.billedMinutes;
    let sum = 0;
    const used: (number | null)[] = perDay.map((m) => Math.round(((sum += m) / 60) * 100) / 100);
    const usedHours = Math.round((sum / 60) * 100) / 100;
    // the days still to come of the current month have no figure yet
    const today = Math.floor(this.calendar.in(zone).diff(start, 'days').days);
    for (let d = Math.max(0, today + 1); d < days; d++) used[d] = null;
    const labels = perDay.map((_, d) => String(d + 1));
    const chart = {
      type: 'line',
      data: {
        labels,
        datasets: [
          { label: 'Approved hours', data: used, stepped: true },
          { label: '80 %', data: labels.map(() => includedHours * 0.8), borderDash: [6, 4], pointRadius: 0 },
          { label: '100 % (included)', data: labels.map(() => includedHours), borderDash: [2, 2], pointRadius: 0 },
        ],
      },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
    };
    const pctUsed = includedHours > 0 ? Math.floor((usedHours * 100) / includedHours) : 0;
    return html`<div class="chart"><canvas role="img" aria-label="Retainer burn-down for ${month}: ${usedHours} of ${includedHours} hours approved (${pctUsed} %)" data-chart="${JSON.stringify(chart)}"></canvas></div>
      <p class="muted" data-burn="${e.id}">${month}: ${usedHours} of ${includedHours} h approved (${pctUsed} %)</p>`;
  }
}
