import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Principal } from '@vaops/platform';
import { ServicesApi } from '../api';
import { ConsoleCalendar } from '../calendar';
import type { ConsoleConfig } from '../config';
import { html, page } from '../html';
import type { Session } from '../session';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { attempt, field, type Form, minorUnits, options, refuse, sessionAs, UUID } from './forms';
import type { Person } from './people';

interface Client extends Person {
  currency: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^\d{1,3}(\.\d{1,2})?$/;

/**
 * Engagements: the agency starts one (a client, an assistant, the kind, hours, notice period, trust
 * phase and plan); the agency or the engagement's client changes its trust phase; the agency gives
 * notice for either side, a client for itself. The services decide; a refusal is shown with its reason.
 */
@Controller('engagements')
export class EngagementsController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly api: ServicesApi,
    private readonly calendar: ConsoleCalendar,
  ) {}

  @Get('new')
  async startForm(@Req() req: PageRequest, @Res() res: PageResponse, @Query('clientId') clientId?: string, @Query('assistantId') assistantId?: string): Promise<void> {
    const session = this.session(req, res, ['agency-admin']);
    if (!session) return;
    const [clients, assistants, zone] = await Promise.all([this.api.all<Client>('clients', '/clients', session.token, 5_000), this.api.all<Person>('clients', '/assistants', session.token, 5_000), this.calendar.agencyZone(session.token)]);
    // an engagement starts on a day of the agency's calendar
    const today = this.calendar.in(zone).toISODate()!;
    const body = html`
      <form method="post" action="/engagements/new" class="stacked">
        <label>Client <select name="clientId" required>${options(clients.map((c) => ({ value: c.id, label: `${c.name} (${c.currency})` })), clientId ?? '')}</select></label>
        <label>Assistant <select name="assistantId" required>${options(assistants.map((a) => ({ value: a.id, label: `${a.name} (${a.timezone})` })), assistantId ?? '')}</select></label>
        <label>Kind <select name="kind">${options(['part-time', 'full-time'])}</select></label>
        <label>Hours a week <input name="weeklyHours" required inputmode="decimal" value="10" size="6"></label>
        <label>Starts on <input name="startsOn" type="date" required value="${today}"></label>
        <label>Notice period (days) <input name="noticePeriodDays" required inputmode="numeric" value="14" size="4"></label>
        <label>Trust phase <select name="phase">${options([{ value: '', label: 'none (every duty allowed)' }, { value: '1', label: 'Phase I' }, { value: '2', label: 'Phase II' }, { value: '3', label: 'Phase III' }], '1')}</select></label>
        <fieldset><legend>Plan (in the client's currency)</legend>
          <label><input type="radio" name="plan" value="hourly" checked> Hourly</label>
          <label>Rate an hour <input name="rate" inputmode="decimal" size="8" placeholder="40.00"></label>
          <label><input type="radio" name="plan" value="retainer"> Retainer</label>
          <label>Monthly fee <input name="monthlyFee" inputmode="decimal" size="8" placeholder="1200.00"></label>
          <label>Included hours <input name="includedHours" inputmode="decimal" size="5" placeholder="30"></label>
          <label>Overage rate an hour <input name="overageRate" inputmode="decimal" size="8" placeholder="45.00"></label>
          <label><input type="checkbox" name="rollover" value="yes"> Unused hours roll over</label>
        </fieldset>
        <button type="submit">Start the engagement</button>
      </form>`;
    res.type('html').send(page('Start an engagement', body, session.principal));
  }

  @Post('new')
  async start(@Req() req: PageRequest, @Res() res: PageResponse, @Body() body: Form): Promise<void> {
    const session = this.session(req, res, ['agency-admin']);
    if (!session) return;
    const p = session.principal;
    const back = { href: '/engagements/new', label: 'Back to the form' };
    const bad = (message: string) => refuse(res, p, 'Start an engagement', 400, message, back);
    const [clientId, assistantId, kind, startsOn, phase] = ['clientId', 'assistantId', 'kind', 'startsOn', 'phase'].map((n) => field(body, n));
    if (!UUID.test(clientId) || !UUID.test(assistantId)) return bad('Choose a client and an assistant.');
    if (!['part-time', 'full-time'].includes(kind)) return bad('kind must be part-time or full-time.');
    if (!NUMBER.test(field(body, 'weeklyHours'))) return bad('weeklyHours must be a number of hours such as 10 or 7.5.');
    if (!DATE.test(startsOn)) return bad('startsOn must be a date.');
    if (!/^\d{1,3}$/.test(field(body, 'noticePeriodDays'))) return bad('noticePeriodDays must be a whole number of days.');
    if (!['', '1', '2', '3'].includes(phase)) return bad('phase must be I, II, III or none.');
    const client = await attempt(res, p, 'Start an engagement', back, () => this.api.get<Client>('clients', `/clients/${clientId}`, session.token));
    if (!client) return;
    const sum = (name: string) => {
      const minor = minorUnits(field(body, name));
      return minor === null ? null : { amountMinor: minor, currency: client.currency };
    };
    let plan: object;
    if (field(body, 'plan') === 'retainer') {
      const [monthlyFee, overageRate] = [sum('monthlyFee'), sum('overageRate')];
      if (!monthlyFee) return bad('monthlyFee must be a sum such as 1200 or 1200.50.');
      if (!overageRate) return bad('overageRate must be a sum such as 45 or 45.50.');
      if (!NUMBER.test(field(body, 'includedHours'))) return bad('includedHours must be a number of hours such as 30.');
      plan = { type: 'retainer', monthlyFee, includedHours: Number(field(body, 'includedHours')), overageRate, rollover: field(body, 'rollover') === 'yes' };
    } else if (field(body, 'plan') === 'hourly') {
      const rate = sum('rate');
      if (!rate) return bad('rate must be a sum such as 40 or 40.50.');
      plan = { type: 'hourly', rate };
    } else return bad('plan must be hourly or retainer.');
    const engagement = { clientId, assistantId, kind, weeklyHours: Number(field(body, 'weeklyHours')), startsOn, noticePeriodDays: Number(field(body, 'noticePeriodDays')), ...(phase ? { phase: Number(phase) } : {}), plan };
    const made = await attempt(res, p, 'Start an engagement', back, () => this.api.post<{ id: string; position: number }>('clients', '/engagements', session.token, engagement));
    if (made) res.redirect(303, `/clients/${clientId}?${new URLSearchParams({ done: 'The engagement is started.', after: String(made.position) })}`);
  }

  @Post(':id/phase')
  async phase(@Req() req: PageRequest, @Res() res: PageResponse, @Param('id') id: string, @Body() body: Form): Promise<void> {
    const session = this.session(req, res, ['agency-admin', 'client']);
    if (!session) return;
    const back = this.back(session.principal, field(body, 'clientId'));
    const [phase, reason] = [field(body, 'phase'), field(body, 'reason').trim()];
    if (!UUID.test(id)) return refuse(res, session.principal, 'Not found', 404, 'No such engagement.', back);
    if (!['1', '2', '3'].includes(phase) || !reason || reason.length > 500) return refuse(res, session.principal, 'Trust phase', 400, 'Choose phase I, II or III and give a reason (up to 500 characters).', back);
    const done = await attempt(res, session.principal, 'Trust phase', back, () => this.api.post<{ position: number }>('clients', `/engagements/${id}/phase`, session.token, { phase: Number(phase), reason }));
    if (done) res.redirect(303, `${back.href}?${new URLSearchParams({ done: `Trust phase changed to ${['I', 'II', 'III'][Number(phase) - 1]}.`, after: String(done.position) })}`);
  }

  @Post(':id/notice')
  async notice(@Req() req: PageRequest, @Res() res: PageResponse, @Param('id') id: string, @Body() body: Form): Promise<void> {
    const session = this.session(req, res, ['agency-admin', 'client']);
    if (!session) return;
    const back = this.back(session.principal, field(body, 'clientId'));
    const [by, reason] = [field(body, 'by'), field(body, 'reason').trim()];
    if (!UUID.test(id)) return refuse(res, session.principal, 'Not found', 404, 'No such engagement.', back);
    if (!['client', 'assistant'].includes(by) || !reason || reason.length > 500) return refuse(res, session.principal, 'Notice', 400, 'Say who gives notice (client or assistant) and why (up to 500 characters).', back);
    const done = await attempt(res, session.principal, 'Notice', back, () => this.api.post<{ position: number }>('clients', `/engagements/${id}/notice`, session.token, { by, reason }));
    if (done) res.redirect(303, `${back.href}?${new URLSearchParams({ done: `Notice given by the ${by}.`, after: String(done.position) })}`);
  }

  /** Where a form about an engagement goes back to: its client's page (the client's own, for a client). */
  private back(p: Principal, clientId: string): { href: string; label: string } {
    const id = p.role === 'client' ? p.clientId : clientId;
    return UUID.test(id ?? '') ? { href: `/clients/${id}`, label: 'Back to the client' } : { href: '/clients', label: 'Clients' };
  }

  private session(req: PageRequest, res: PageResponse, roles: Principal['role'][]): Session | null {
    return sessionAs(this.config, req, res, roles, { title: 'Engagements', message: roles.length === 1 ? 'Only the agency starts engagements.' : 'Engagements are changed by the agency and the client.' });
  }
}
