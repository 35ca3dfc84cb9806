import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Principal } from '@vaops/platform';
import { ServiceError, ServicesApi, type Page } from '../api';
import type { ConsoleConfig } from '../config';
import { html, page } from '../html';
import type { Session } from '../session';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { field, type Form, refuse, sessionAs, UUID } from './forms';
import { money } from './money';
import { namesOf } from './names';
import { EventSourcingErrors } from '@vaops/event-sourcing';

interface Money {
  amountMinor: number;
  currency: string;
}
interface Invoice {
  id: string;
  number: string | null;
  clientId: string;
  period: string;
  status: 'draft' | 'issued' | 'paid' | 'void';
  currency: string;
  total: Money;
  credited: Money;
  version: number;
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const STATUSES = ['draft', 'issued', 'paid', 'void'] as const;
export const INVOICES_PER_PAGE = 50;

/**
 * Invoices by period and status. The agency runs billing for a period, issues a draft (a gap-free
 * number is drawn then), marks an issued invoice paid, voids it or credits part of it; each action
 * carries the invoice's version (If-Match). A client sees its own invoices. Each opens printable.
 */
@Controller('invoices')
export class InvoicesController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly api: ServicesApi,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Res() res: PageResponse, @Query('period') period?: string, @Query('status') status?: string, @Query('done') done?: string, @Query('after') after?: string, @Query('cursor') cursor?: string): Promise<void> {
    const session = this.session(req, res);
    if (!session) return;
    const p = session.principal;
    if ((period && !PERIOD.test(period)) || (status && !(STATUSES as readonly string[]).includes(status)) || (after !== undefined && !/^\d{1,15}$/.test(after))) {
      return this.refuse(res, p, 400, `period must be a month such as 2026-03, and status one of ${STATUSES.join(', ')}.`);
    }
    if (cursor !== undefined && !/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) return this.refuse(res, p, 400, 'That page of invoices does not exist: start again from the first.');
    const filters = { ...(period ? { period } : {}), ...(status ? { status } : {}) };
    const q = new URLSearchParams({ ...filters, ...(after ? { minPosition: after } : {}), limit: String(INVOICES_PER_PAGE), ...(cursor ? { cursor } : {}) });
    const { items, nextCursor } = await this.api.get<Page<Invoice>>('billing', `/invoices?${q}`, session.token);
    const names = await namesOf(this.api, session.token, { clients: items.map((i) => i.clientId) });
    const agency = p.role === 'agency-admin';
    const act = (i: Invoice, action: string, label: string, extra = html``) =>
      html`<form class="inline" method="post" action="/invoices/${i.id}/${action}"><input type="hidden" name="version" value="${i.version}">${extra}<button type="submit" aria-label="${label} ${i.number ?? `draft for ${names.get(i.clientId) ?? ''} ${i.period}`}">${label}</button></form>`;
    const rows = items.map((i) => {
      const actions = !agency
        ? html``
        : i.status === 'draft'
          ? act(i, 'issue', 'Issue')
          : i.status === 'issued'
            ? html`${act(i, 'pay', 'Mark paid')} ${act(i, 'void', 'Void', html`<label>Reason <input name="reason" required maxlength="500"></label> `)} ${act(
                i,
                'credit-notes',
                'Credit',
                html`<label>Amount (${i.total.currency}) <input name="amount" required inputmode="decimal" pattern="\\d+(\\.\\d{1,2})?" size="8"></label> <label>Reason <input name="reason" required maxlength="500"></label> `,
              )}`
            : html``;
      return html`<tr data-invoice="${i.id}"><td><a href="/invoices/${i.id}/print">${i.number ?? 'draft'}</a></td>${agency ? html`<td>${names.get(i.clientId)}</td>` : html``}<td>${i.period}</td><td>${i.status}</td><td>${money(i.total)}</td><td>${i.credited.amountMinor ? money(i.credited) : ''}</td><td>${actions}</td></tr>`;
    });
    const run = agency
      ? html`<form method="post" action="/invoices/billing-runs"><label>Period <input name="period" required placeholder="2026-03" pattern="\\d{4}-\\d{2}" value="${period ?? ''}"></label> <button type="submit">Run billing</button></form>`
      : html``;
    const body = html`
      ${done ? html`<p role="status">${done}</p>` : html``}
      ${run}
      <form method="get" action="/invoices">
        <label>Period <input name="period" value="${period ?? ''}" placeholder="2026-03"></label>
        <label>Status <select name="status"><option value="">any</option>${STATUSES.map((x) => (x === status ? html`<option selected>${x}</option>` : html`<option>${x}</option>`))}</select></label>
        <button type="submit">Show</button>
      </form>
      ${
        items.length === 0
          ? html`<p class="muted">No invoices${period ? html` for ${period}` : html``}.</p>`
          : html`<table><thead><tr><th scope="col">Number</th>${agency ? html`<th scope="col">Client</th>` : html``}<th scope="col">Period</th><th scope="col">Status</th><th scope="col">Total</th><th scope="col">Credited</th><th scope="col">Actions</th></tr></thead><tbody>${rows}</tbody></table>`
      }
      ${nextCursor ? html`<p><a href="/invoices?${new URLSearchParams({ ...filters, cursor: nextCursor })}">More invoices</a></p>` : html``}`;
    res.type('html').send(page('Invoices', body, p));
  }

  /** The billing service's printable invoice, relayed (it holds its own styles, and nothing else runs). */
  @Get(':id/print')
  async print(@Req() req: PageRequest, @Res() res: PageResponse, @Param('id') id: string): Promise<void> {
    const session = this.session(req, res);
    if (!session) return;
    if (!UUID.test(id)) return this.refuse(res, session.principal, 404, 'No such invoice.');
    const printable = await this.api.text('billing', `/invoices/${id}`, session.token, 'text/html');
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    res.type('html').send(printable);
  }

  @Post('billing-runs')
  async runBilling(@Req() req: PageRequest, @Res() res: PageResponse, @Body() body: Form): Promise<void> {
    const session = this.session(req, res);
    if (!session) return;
    const period = field(body, 'period');
    if (!PERIOD.test(period)) return this.refuse(res, session.principal, 400, 'period must be a month such as 2026-03.');
    const r = await this.api.post<{ invoices: { drafted: boolean }[]; failed: unknown[]; position: number }>('billing', '/billing-runs', session.token, { period });
    const done = `Billing run for ${period}: ${r.invoices.filter((i) => i.drafted).length} invoice(s) drafted${r.failed.length ? `, ${r.failed.length} client(s) failed` : ''}.`;
    res.redirect(303, `/invoices?${new URLSearchParams({ period, done, ...(r.position ? { after: String(r.position) } : {}) })}`);
  }

  @Post(':id/:action')
  async act(@Req() req: PageRequest, @Res() res: PageResponse, @Param('id') id: string, @Param('action') action: string, @Body() body: Form): Promise<void> {
    const session = this.session(req, res);
    if (!session) return;
    const p = session.principal;
    const version = field(body, 'version');
    if (!UUID.test(id) || !['issue', 'pay', 'void', 'credit-notes'].includes(action) || !/^\d{1,9}$/.test(version)) return this.refuse(res, p, 404, 'No such action.');
    const reason = field(body, 'reason').trim();
    let payload: object = {};
    if (action === 'void' || action === 'credit-notes') {
      if (!reason || reason.length > 500) return this.refuse(res, p, 400, 'A reason is needed (up to 500 characters).');
      payload = { reason };
    }
    if (action === 'credit-notes') {
      const amount = field(body, 'amount');
      if (!/^\d{1,9}(\.\d{1,2})?$/.test(amount) || Number(amount) <= 0) return this.refuse(res, p, 400, 'amount must be a positive sum such as 12.50.');
      const invoice = await this.api.get<Invoice>('billing', `/invoices/${id}`, session.token);
      payload = { reason, amount: { amountMinor: Math.round(Number(amount) * 100), currency: invoice.currency } };
    }
    let r: Invoice & { position: number };
    try {
      r = await this.api.post<Invoice & { position: number }>('billing', `/invoices/${id}/${action}`, session.token, payload, { 'If-Match': `"${version}"` });
    } catch (err) {
      if (err instanceof ServiceError && err.code === EventSourcingErrors.concurrencyConflict.code) return this.refuse(res, p, 409, 'The invoice changed since you saw it: look at it again.');
      if (err instanceof ServiceError && err.status === 409) return this.refuse(res, p, 409, err.message);
      throw err;
    }
    const what = { issue: `Issued ${r.number}.`, pay: `${r.number} marked paid.`, void: `${r.number} voided.`, 'credit-notes': `${r.number} credited.` }[action as 'issue'];
    res.redirect(303, `/invoices?${new URLSearchParams({ period: r.period, done: what, after: String(r.position) })}`);
  }

  private session(req: PageRequest, res: PageResponse): Session | null {
    return sessionAs(this.config, req, res, ['agency-admin', 'client'], { title: 'Invoices', message: 'Invoices are for the agency and its clients.', back: { href: '/invoices', label: 'Invoices' } });
  }

  private refuse(res: PageResponse, p: Principal, status: number, message: string): void {
    refuse(res, p, 'Invoices', status, message, { href: '/invoices', label: 'Invoices' });
  }
}
