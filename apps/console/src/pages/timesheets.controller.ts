import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Principal } from '@vaops/platform';
import { ServiceError, ServicesApi, type Page } from '../api';
import type { ConsoleConfig } from '../config';
import { html, page } from '../html';
import { sessionOf, type Session } from '../session';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { field, refuse, UUID, type Form } from './forms';
import { namesOf } from './names';
import { EventSourcingErrors } from '@vaops/event-sourcing';

interface Summary {
  engagementId: string;
  isoWeek: string;
  assistantId: string;
  clientId: string;
  status: 'submitted' | 'approved' | 'rejected';
  version: number;
}
interface Sheet {
  billedMinutes: number;
  version: number;
}

export const SHEETS_PER_PAGE = 25;
const WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;
const STATUSES = ['submitted', 'approved', 'rejected'] as const;
const hours = (minutes: number) => `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;


/**
 * Timesheets: the weeks by status (awaiting approval first). The agency and a client approve or reject a
 * week (with the version they saw: a week resubmitted since is refused, not approved blind); the agency
 * bulk-approves a whole week. An assistant sees their own weeks.
 */
@Controller('timesheets')
export class TimesheetsController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly api: ServicesApi,
  ) {}

  @Get()
  async list(
    @Req() req: PageRequest,
    @Res() res: PageResponse,
    @Query('week') week?: string,
    @Query('status') status?: string,
    @Query('cursor') cursor?: string,
    @Query('done') done?: string,
    // the position of the write this page follows: the lists wait for it (read your writes)
    @Query('after') after?: string,
  ): Promise<void> {
    const session = sessionOf(this.config, req.headers.cookie);
    if (!session) return res.redirect(303, '/signin');
    const p = session.principal;
    const shownStatus = status === undefined || status === '' ? 'submitted' : status;
    if ((week && !WEEK.test(week)) || !(STATUSES as readonly string[]).includes(shownStatus) || (after !== undefined && !/^\d{1,15}$/.test(after))) {
      res.status(400).type('html').send(page('Timesheets', html`<p class="error" role="alert">week must be an ISO week such as 2026-W11, and status one of ${STATUSES.join(', ')}.</p>`, p));
      return;
    }
    const q = new URLSearchParams({ limit: String(SHEETS_PER_PAGE), status: shownStatus, ...(week ? { isoWeek: week } : {}), ...(cursor ? { cursor } : {}), ...(after ? { minPosition: after } : {}) });
    const sheets = await this.api.get<Page<Summary>>('timeTracking', `/timesheets?${q}`, session.token);
    const [details, names] = await Promise.all([
      Promise.all(sheets.items.map((s) => this.api.get<Sheet>('timeTracking', `/timesheets/${s.engagementId}/${s.isoWeek}`, session.token))),
      namesOf(this.api, session.token, { clients: p.role === 'client' ? [] : sheets.items.map((s) => s.clientId), assistants: sheets.items.map((s) => s.assistantId) }),
    ]);
    const reviewer = p.role !== 'assistant';
    const rows = sheets.items.map((s, i) => {
      const actions =
        reviewer && s.status === 'submitted'
          ? html`<form class="inline" method="post" action="/timesheets/approve">
                <input type="hidden" name="engagementId" value="${s.engagementId}"><input type="hidden" name="isoWeek" value="${s.isoWeek}"><input type="hidden" name="version" value="${details[i].version}">
                <button type="submit" aria-label="Approve ${s.isoWeek} of ${names.get(s.assistantId) ?? ''}">Approve</button></form>
              <form class="inline" method="post" action="/timesheets/reject">
                <input type="hidden" name="engagementId" value="${s.engagementId}"><input type="hidden" name="isoWeek" value="${s.isoWeek}"><input type="hidden" name="version" value="${details[i].version}">
                <label>Reason <input name="reason" required maxlength="500"></label>
                <button type="submit" aria-label="Reject ${s.isoWeek} of ${names.get(s.assistantId) ?? ''}">Reject</button></form>`
          : html``;
      return html`<tr data-sheet="${s.engagementId}/${s.isoWeek}"><td>${s.isoWeek}</td>${p.role === 'client' ? html`` : html`<td>${names.get(s.clientId)}</td>`}<td>${names.get(s.assistantId)}</td><td>${hours(details[i].billedMinutes)}</td><td>${s.status}</td><td>${actions}</td></tr>`;
    });
    const bulk =
      p.role === 'agency-admin' && week && shownStatus === 'submitted' && sheets.items.length > 0
        ? html`<form method="post" action="/timesheets/approve-bulk"><input type="hidden" name="isoWeek" value="${week}"><button type="submit">Approve every submitted timesheet of ${week}</button></form>`
        : html``;
    const notice = done ? html`<p role="status">${done}</p>` : html``;
    const more = sheets.nextCursor ? html`<p><a href="/timesheets?${new URLSearchParams({ status: shownStatus, ...(week ? { week } : {}), cursor: sheets.nextCursor })}">More weeks</a></p>` : html``;
    const body = html`
      ${notice}
      <form method="get" action="/timesheets">
        <label>Week <input name="week" value="${week ?? ''}" placeholder="2026-W11" pattern="\\d{4}-W\\d{2}"></label>
        <label>Status <select name="status">${STATUSES.map((x) => (x === shownStatus ? html`<option selected>${x}</option>` : html`<option>${x}</option>`))}</select></label>
        <button type="submit">Show</button>
      </form>
      ${bulk}
      ${
        sheets.items.length === 0
          ? html`<p class="muted">No ${shownStatus} timesheets${week ? html` in ${week}` : html``}.</p>`
          : html`<table><thead><tr><th scope="col">Week</th>${p.role === 'client' ? html`` : html`<th scope="col">Client</th>`}<th scope="col">Assistant</th><th scope="col">Billed</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead><tbody>${rows}</tbody></table>`
      }
      ${more}`;
    res.type('html').send(page('Timesheets', body, p));
  }

  @Post('approve')
  async approve(@Req() req: PageRequest, @Res() res: PageResponse, @Body() body: Form): Promise<void> {
    await this.review(req, res, body, 'approve');
  }

  @Post('reject')
  async reject(@Req() req: PageRequest, @Res() res: PageResponse, @Body() body: Form): Promise<void> {
    await this.review(req, res, body, 'reject');
  }

  @Post('approve-bulk')
  async approveBulk(@Req() req: PageRequest, @Res() res: PageResponse, @Body() body: Form): Promise<void> {
    const session = this.sessionOrRedirect(req, res);
    if (!session) return;
    const isoWeek = field(body, 'isoWeek');
    if (!WEEK.test(isoWeek)) return this.refuse(res, session.principal, 400, 'isoWeek must be an ISO week such as 2026-W11.');
    const r = await this.api.post<{ approved: number; failed: unknown[]; position: number }>('timeTracking', '/timesheets/approve-bulk', session.token, { isoWeek });
    const done = `${r.approved} timesheet(s) of ${isoWeek} approved${r.failed.length ? `, ${r.failed.length} refused` : ''}.`;
    res.redirect(303, `/timesheets?${new URLSearchParams({ week: isoWeek, status: 'approved', done, ...(r.position ? { after: String(r.position) } : {}) })}`);
  }

  private async review(req: PageRequest, res: PageResponse, body: Form, action: 'approve' | 'reject'): Promise<void> {
    const session = this.sessionOrRedirect(req, res);
    if (!session) return;
    const [engagementId, isoWeek, version, reason] = ['engagementId', 'isoWeek', 'version', 'reason'].map((n) => field(body, n));
    if (!UUID.test(engagementId) || !WEEK.test(isoWeek) || !/^\d{1,9}$/.test(version) || (action === 'reject' && (reason.trim() === '' || reason.length > 500))) {
      return this.refuse(res, session.principal, 400, action === 'reject' ? 'A rejection needs a reason (up to 500 characters).' : 'This form was not filled in by the console.');
    }
    let position: number;
    try {
      ({ position } = await this.api.post<{ position: number }>('timeTracking', `/timesheets/${engagementId}/${isoWeek}/${action}`, session.token, action === 'reject' ? { reason } : {}, { 'If-Match': `"${version}"` }));
    } catch (err) {
      if (err instanceof ServiceError && err.code === EventSourcingErrors.concurrencyConflict.code) {
        return this.refuse(res, session.principal, 409, `The timesheet of ${isoWeek} changed since you saw it (it was resubmitted or reviewed): look at it again.`);
      }
      throw err;
    }
    const done = `${isoWeek} ${action === 'approve' ? 'approved' : 'rejected'}.`;
    res.redirect(303, `/timesheets?${new URLSearchParams({ week: isoWeek, status: action === 'approve' ? 'approved' : 'rejected', done, ...(position ? { after: String(position) } : {}) })}`);
  }

  private sessionOrRedirect(req: PageRequest, res: PageResponse): Session | null {
    const session = sessionOf(this.config, req.headers.cookie);
    if (!session) res.redirect(303, '/signin');
    return session;
  }

  private refuse(res: PageResponse, p: Principal, status: number, message: string): void {
    refuse(res, p, 'Timesheets', status, message, { href: '/timesheets', label: 'Timesheets' });
  }
}
