import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { DateTime } from 'luxon';
import { APPOINTMENT_KINDS } from '@vaops/contracts';
import { ServicesApi } from '../api';
import { ConsoleCalendar } from '../calendar';
import type { ConsoleConfig } from '../config';
import { html, page, type Html } from '../html';
import { sessionOf, type Session } from '../session';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { attempt, field, options, refuse, UUID, type Form } from './forms';
import type { Person } from './people';

interface Engagement {
  id: string;
  clientId: string;
  assistantId: string;
}
interface Appointment {
  id: string;
  engagementId: string;
  kind: string;
  title: string | null;
  startsAt: string;
  endsAt: string;
  status: string;
  version: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DURATIONS = ['15', '30', '45', '60', '90', '120'];

/** A slot typed in a form (a local date and time in a zone, and a length) as the instants the service takes. */
function slotOf(body: Form, zones: string[]): { startsAt: string; endsAt: string; date: string } | string {
  const [date, time, minutes, zone] = ['date', 'time', 'minutes', 'zone'].map((n) => field(body, n));
  if (!DATE.test(date) || !TIME.test(time)) return 'Give the date and the time it starts.';
  if (!DURATIONS.includes(minutes)) return `minutes must be one of ${DURATIONS.join(', ')}.`;
  if (!zones.includes(zone)) return 'Choose the time zone the time is in.';
  const start = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!start.isValid) return `${date} ${time} is not a time in ${zone}.`;
  return { startsAt: start.toUTC().toISO()!, endsAt: start.plus({ minutes: Number(minutes) }).toUTC().toISO()!, date };
}

/**
 * Booking an appointment on an engagement and moving one, from forms in the client's or the
 * assistant's zone (the scheduling service checks working hours, overlaps and notice; a move inside
 * the agency's minimum notice is allowed and recorded as late).
 */
@Controller('appointments')
export class AppointmentsController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly api: ServicesApi,
    private readonly calendar: ConsoleCalendar,
  ) {}

  @Get('new')
  async bookForm(@Req() req: PageRequest, @Res() res: PageResponse, @Query('engagementId') engagementId?: string): Promise<void> {
    const session = this.session(req, res);
    if (!session) return;
    if (!UUID.test(engagementId ?? '')) return refuse(res, session.principal, 'Book an appointment', 400, 'Open the booking form from an engagement (engagementId is missing).', { href: '/today', label: 'Today' });
    const ctx = await attempt(res, session.principal, 'Book an appointment', { href: '/today', label: 'Today' }, () => this.context(session, engagementId!));
    if (!ctx) return;
    const tomorrow = this.calendar.in(ctx.zones[0]).plus({ days: 1 }).toISODate()!;
    const body = html`
      <p>With <strong>${ctx.assistant}</strong> for <strong>${ctx.client}</strong>.</p>
      <form method="post" action="/appointments/new" class="stacked">
        <input type="hidden" name="engagementId" value="${engagementId}">
        <label>Kind <select name="kind">${options(APPOINTMENT_KINDS)}</select></label>
        <label>Title <input name="title" maxlength="200"></label>
        ${this.slotFields(ctx.zones, { date: tomorrow, time: '09:00', minutes: '30' })}
        <button type="submit">Book</button>
      </form>`;
    res.type('html').send(page('Book an appointment', body, session.principal));
  }

  @Post('new')
  async book(@Req() req: PageRequest, @Res() res: PageResponse, @Body() body: Form): Promise<void> {
    const session = this.session(req, res);
    if (!session) return;
    const p = session.principal;
    const engagementId = field(body, 'engagementId');
    const back = { href: `/appointments/new?engagementId=${encodeURIComponent(engagementId)}`, label: 'Back to the form' };
    if (!UUID.test(engagementId)) return refuse(res, p, 'Book an appointment', 404, 'No such engagement.', { href: '/today', label: 'Today' });
    const ctx = await attempt(res, p, 'Book an appointment', back, () => this.context(session, engagementId));
    if (!ctx) return;
    const kind = field(body, 'kind');
    const title = field(body, 'title').trim();
    if (!(APPOINTMENT_KINDS as readonly string[]).includes(kind)) return refuse(res, p, 'Book an appointment', 400, `kind must be one of ${APPOINTMENT_KINDS.join(', ')}.`, back);
    if (title.length > 200) return refuse(res, p, 'Book an appointment', 400, 'title may have up to 200 characters.', back);
    const slot = slotOf(body, ctx.zones);
    if (typeof slot === 'string') return refuse(res, p, 'Book an appointment', 400, slot, back);
    const made = await attempt(res, p, 'Book an appointment', back, () =>
      this.api.post<{ id: string; position: number }>('scheduling', '/appointments', session.token, { engagementId, kind, startsAt: slot.startsAt, endsAt: slot.endsAt, ...(title ? { title } : {}) }),
    );
    if (made) res.redirect(303, `/today?${new URLSearchParams({ date: slot.date, done: `Booked ${kind} with ${ctx.assistant} for ${ctx.client}.`, after: String(made.position) })}`);
  }

  @Get(':id/move')
  async moveForm(@Req() req: PageRequest, @Res() res: PageResponse, @Param('id') id: string): Promise<void> {
    const session = this.session(req, res);
    if (!session) return;
    const back = { href: '/today', label: 'Today' };
    if (!UUID.test(id)) return refuse(res, session.principal, 'Not found', 404, 'No such appointment.', back);
    const a = await this.api.get<Appointment>('scheduling', `/appointments/${id}`, session.token);
    const ctx = await this.context(session, a.engagementId);
    const start = DateTime.fromISO(a.startsAt, { zone: ctx.zones[0] });
    const minutes = String(Math.round(DateTime.fromISO(a.endsAt).diff(DateTime.fromISO(a.startsAt), 'minutes').minutes));
    const body = html`
      <p>${a.title ?? a.kind} with <strong>${ctx.assistant}</strong> for <strong>${ctx.client}</strong>, now <time data-viewer datetime="${a.startsAt}">${start.toFormat('ccc d LLL yyyy, HH:mm')} (${ctx.zones[0]})</time>, ${a.status}.</p>
      <form method="post" action="/appointments/${a.id}/move" class="stacked">
        <input type="hidden" name="version" value="${a.version}">
        ${this.slotFields(ctx.zones, { date: start.toISODate()!, time: start.toFormat('HH:mm'), minutes: DURATIONS.includes(minutes) ? minutes : '30' })}
        <label>Reason <input name="reason" required maxlength="500"></label>
        <button type="submit">Move the appointment</button>
      </form>`;
    res.type('html').send(page('Move an appointment', body, session.principal));
  }

  @Post(':id/move')
  async move(@Req() req: PageRequest, @Res() res: PageResponse, @Param('id') id: string, @Body() body: Form): Promise<void> {
    const session = this.session(req, res);
    if (!session) return;
    const p = session.principal;
    const back = { href: `/appointments/${encodeURIComponent(id)}/move`, label: 'Back to the form' };
    if (!UUID.test(id)) return refuse(res, p, 'Not found', 404, 'No such appointment.', { href: '/today', label: 'Today' });
    const [version, reason] = [field(body, 'version'), field(body, 'reason').trim()];
    if (!/^\d{1,9}$/.test(version)) return refuse(res, p, 'Move an appointment', 400, 'The form lost the appointment’s version: open it again.', back);
    if (!reason || reason.length > 500) return refuse(res, p, 'Move an appointment', 400, 'A reason is needed (up to 500 characters).', back);
    const a = await attempt(res, p, 'Move an appointment', back, () => this.api.get<Appointment>('scheduling', `/appointments/${id}`, session.token));
    if (!a) return;
    const ctx = await this.context(session, a.engagementId);
    const slot = slotOf(body, ctx.zones);
    if (typeof slot === 'string') return refuse(res, p, 'Move an appointment', 400, slot, back);
    const moved = await attempt(res, p, 'Move an appointment', back, () =>
      this.api.post<{ position: number }>('scheduling', `/appointments/${id}/reschedule`, session.token, { startsAt: slot.startsAt, endsAt: slot.endsAt, reason }, { 'If-Match': `"${version}"` }),
    );
    if (moved) res.redirect(303, `/today?${new URLSearchParams({ date: slot.date, done: 'The appointment is moved.', after: String(moved.position) })}`);
  }

  private slotFields(zones: string[], value: { date: string; time: string; minutes: string }): Html {
    return html`<label>Date <input name="date" type="date" required value="${value.date}"></label>
        <label>Starts at <input name="time" type="time" required value="${value.time}"></label>
        <label>Time zone <select name="zone">${options(zones)}</select></label>
        <label>Minutes <select name="minutes">${options(DURATIONS, value.minutes)}</select></label>`;
  }

  /** The engagement's two parties by name, and the zones a time may be typed in (the client's first). */
  private async context(session: Session, engagementId: string): Promise<{ client: string; assistant: string; zones: string[] }> {
    const e = await this.api.get<Engagement>('clients', `/engagements/${engagementId}`, session.token);
    const [client, assistant] = await Promise.all([
      this.api.get<Person>('clients', `/clients/${e.clientId}`, session.token).catch(() => null),
      this.api.get<Person>('clients', `/assistants/${e.assistantId}`, session.token).catch(() => null),
    ]);
    const zones = [...new Set([client?.timezone, assistant?.timezone, 'UTC'].filter((z): z is string => !!z))];
    return { client: client?.name ?? '(unknown)', assistant: assistant?.name ?? '(unknown)', zones };
  }

  private session(req: PageRequest, res: PageResponse): Session | null {
    const session = sessionOf(this.config, req.headers.cookie);
    if (!session) res.redirect(303, '/signin');
    return session;
  }
}
