import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { DateTime } from 'luxon';
import { ServicesApi, type Page } from '../api';
import type { ConsoleConfig } from '../config';
import { html, page, type Html } from '../html';
import { sessionOf } from '../session';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { refuse } from './forms';
import { money } from './money';
import type { Person } from './people';

interface Money {
  amountMinor: number;
  currency: string;
}
type Plan = { type: 'hourly'; rate: Money } | { type: 'retainer'; monthlyFee: Money; includedHours: number; overageRate: Money; rollover: boolean };
interface Engagement {
  id: string;
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

const planText = (plan: Plan): string =>
  plan.type === 'hourly' ? `hourly, ${money(plan.rate)} an hour` : `retainer, ${money(plan.monthlyFee)} a month for ${plan.includedHours} h${plan.rollover ? ', unused hours roll over' : ''}, then ${money(plan.overageRate)} an hour`;
const phaseText = (e: Engagement): string => e.phaseHistory.map((h) => `${h.phase === null ? 'no phase' : `phase ${['I', 'II', 'III'][h.phase - 1] ?? h.phase}`} from ${h.from.slice(0, 10)}`).join(', ');

/**
 * Clients: each client's engagements with their kind, trust phase and its history, plan and notice; for
 * a retainer, the month's burn-down (approved hours day by day against the 80 % and 100 % marks).
 */
@Controller('clients')
export class ClientsController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly api: ServicesApi,
  ) {}

  @Get()
  async show(@Req() req: PageRequest, @Res() res: PageResponse, @Query('month') month?: string, @Query('cursor') cursor?: string): Promise<void> {
    const session = sessionOf(this.config, req.headers.cookie);
    if (!session) return res.redirect(303, '/signin');
    const { principal: p, token } = session;
    const back = { href: '/today', label: 'Today' };
    if (p.role !== 'agency-admin') return refuse(res, p, 'Clients', 403, 'The client list is the agency’s.', back);
    const shown = month ?? DateTime.utc().toFormat('yyyy-MM');
    if (!MONTH.test(shown)) return refuse(res, p, 'Clients', 400, 'month must be a month such as 2026-03.', back);
    const clients = await this.api.get<Page<Person>>('clients', `/clients?limit=${CLIENTS_PER_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    const engagements = await Promise.all(clients.items.map((c) => this.api.all<Engagement>('clients', `/engagements?clientId=${c.id}`, token, 200)));
    const assistants = await this.api.all<Person>('clients', '/assistants', token, 5_000);
    const name = new Map(assistants.map((a) => [a.id, a.name]));
    const sections: Html[] = [];
    for (const [i, c] of clients.items.entries()) {
      const rows: Html[] = [];
      for (const e of engagements[i]) rows.push(await this.engagementRow(e, name.get(e.assistantId) ?? '(unknown)', shown, token));
      sections.push(html`<section aria-labelledby="c-${c.id}"><h2 id="c-${c.id}">${c.name} <span class="muted">(${c.timezone})</span></h2>${
        rows.length === 0 ? html`<p class="muted">No engagements.</p>` : html`<ul class="engagements">${rows}</ul>`
      }</section>`);
    }
    const body = html`
      <form method="get" action="/clients"><label>Month <input name="month" value="${shown}" placeholder="2026-03"></label> <button type="submit">Show</button></form>
      ${sections}
      ${clients.nextCursor ? html`<p><a href="/clients?month=${shown}&amp;cursor=${encodeURIComponent(clients.nextCursor)}">More clients</a></p>` : html``}
      <script src="/assets/chart.js" defer></script>`;
    res.type('html').send(page(`Clients, ${shown}`, body, p));
  }

  private async engagementRow(e: Engagement, assistant: string, month: string, token: string): Promise<Html> {
    const notice = e.status === 'in-notice' ? html` · <strong>in notice</strong>, ends ${e.endsOn}` : e.status === 'ended' ? html` · ended ${e.endsOn ?? ''}` : html``;
    const head = html`<p data-engagement="${e.id}"><strong>${assistant}</strong> · ${e.kind} · ${planText(e.plan)}${notice}<br><span class="muted">${phaseText(e)}</span></p>`;
    if (e.plan.type !== 'retainer') return html`<li>${head}</li>`;
    return html`<li>${head}${await this.burnDown(e, e.plan.includedHours, month, token)}</li>`;
  }

  /** Approved billable hours of the month, day by day, against the 80 % and 100 % marks of the included hours. */
  private async burnDown(e: Engagement, includedHours: number, month: string, token: string): Promise<Html> {
    const start = DateTime.fromISO(`${month}-01`, { zone: 'utc' });
    const end = start.plus({ months: 1 });
    const entries = await this.api.all<Entry>('timeTracking', `/time-entries?engagementId=${e.id}&from=${encodeURIComponent(start.toISO()!)}&to=${encodeURIComponent(end.toISO()!)}`, token, 5_000);
    const days = Math.round(end.diff(start, 'days').days);
    const perDay = new Array<number>(days).fill(0);
    for (const x of entries) if (x.status === 'approved' && x.billable) perDay[Math.min(days - 1, Math.floor(DateTime.fromISO(x.startedAt, { zone: 'utc' }).diff(start, 'days').days))] += x.billedMinutes;
    let sum = 0;
    const used: (number | null)[] = perDay.map((m) => Math.round(((sum += m) / 60) * 100) / 100);
    const usedHours = Math.round((sum / 60) * 100) / 100;
    // the days still to come of the current month have no figure yet
    const today = Math.floor(DateTime.utc().diff(start, 'days').days);
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
