import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { localDate } from '@vaops/contracts';
import type { Principal } from '@vaops/platform';
import { ServicesApi, type Page } from '../api';
import { ConsoleCalendar } from '../calendar';
import type { ConsoleConfig } from '../config';
import { html, liveRegion, page, type Html } from '../html';
import { freshness, readFresh, withFreshness } from '../live/fresh';
import { LiveFeed } from '../live/live-feed';
import { sessionOf } from '../session';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { namesOf } from './names';
import type { Person } from './people';

interface AgendaItem {
  startsAt: string;
  endsAt: string;
  localStart: string;
  localEnd: string;
  kind: string | null;
  busy: boolean;
  id?: string;
  engagementId?: string;
  assistantId?: string;
  clientId?: string;
  title?: string | null;
  status?: string;
  late?: boolean;
}
interface Agenda {
  date: string;
  timezone: string;
  items: AgendaItem[];
}
/** Assistants per page of the agency's day. */
export const ASSISTANTS_PER_PAGE = 25;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const statusFlag = (a: AgendaItem): Html[] => [
  ...(a.status === 'no-show' ? [html`<span class="flag flag-no-show">no-show</span>`] : []),
  ...(a.late ? [html`<span class="flag flag-late">late change</span>`] : []),
];

/**
 * Today: every assistant's appointments across clients for a day (the agency), or the signed-in
 * assistant's or client's own; times in that person's zone, and in the viewer's (in the browser).
 * Without `?date=` the day is today where the viewer's day is kept: the agency's zone for the agency,
 * the person's own zone for an assistant or a client.
 * The day is a live region: `?fragment=agenda` renders it alone, for the page to swap in when the
 * stream says it changed (read at least as far as the feed has heard, see `freshness`).
 */
@Controller('today')
export class TodayController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly api: ServicesApi,
    private readonly feed: LiveFeed,
    private readonly calendar: ConsoleCalendar,
  ) {}

  @Get()
  async today(@Req() req: PageRequest, @Res() res: PageResponse, @Query('date') date?: string, @Query('cursor') cursor?: string, @Query('fragment') fragment?: unknown, @Query('done') done?: unknown): Promise<void> {
    const session = sessionOf(this.config, req.headers.cookie);
    const partial = fragment !== undefined;
    if (partial && fragment !== 'agenda') {
      res.status(400).type('text/plain').send('the fragment of this page is "agenda"');
      return;
    }
    if (!session) {
      // a region read again by the live script gets no sign-in page to swap in
      if (partial) return res.status(401).type('text/plain').send('signed out');
      return res.redirect(303, '/signin');
    }
    if (date !== undefined && (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))) {
      res.status(400).type('html').send(page('Today', html`<p class="error" role="alert">date must be a day such as 2026-03-09.</p>`, session.principal));
      return;
    }
    const { principal: p, token } = session;
    const people: Person[] = [];
    let next: string | null = null;
    let zone: string;
    if (p.role === 'agency-admin') {
      const q = `/assistants?limit=${ASSISTANTS_PER_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const [pg, agencyZone] = await Promise.all([
        readFresh(freshness(this.feed, 'clients', partial), (fresh) => this.api.get<Page<Person>>('clients', withFreshness(q, fresh), token)),
        // the agency's zone only to find today; a day asked for needs none
        date === undefined ? this.calendar.agencyZone(token) : 'UTC',
      ]);
      people.push(...pg.items);
      next = pg.nextCursor;
      zone = agencyZone;
    } else {
      const self = await this.api.get<Person>('clients', p.role === 'assistant' ? `/assistants/${p.assistantId}` : `/clients/${p.clientId}`, token);
      people.push(self);
      zone = self.timezone;
    }
    const day = date ?? localDate(this.calendar.now(), zone);
    const role = p.role === 'client' ? 'clientId' : 'assistantId';
    const fresh = freshness(this.feed, 'scheduling', partial);
    const agendas = await Promise.all(people.map((x) => readFresh(fresh, (f) => this.api.get<Agenda>('scheduling', withFreshness(`/agenda?date=${day}&${role}=${x.id}`, f), token))));
    const names = await this.counterparts(agendas, p, token);
    const sections = people.map((x, i) => this.section(x, agendas[i], names, p));
    const pager = next ? html`<p><a href="/today?date=${day}&amp;cursor=${encodeURIComponent(next)}">Next assistants</a></p>` : html``;
    const agenda = html`${sections}${pager}`;
    if (partial) {
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(agenda.value);
      return;
    }
    // what a form just did (booked, moved), said once above the day
    const said = typeof done === 'string' && done.length <= 300 ? html`<p role="status">${done}</p>` : html``;
    const body = html`
      ${said}
      <form method="get" action="/today"><label>Day <input type="date" name="date" value="${day}"></label> <button type="submit">Show</button></form>
      ${liveRegion('agenda', 'Agenda updated', agenda)}`;
    res.type('html').send(page(`Today, ${day}`, body, p, { live: true }));
  }

  /**
   * Who is on the other side of each appointment (by appointment id): the client for the agency and
   * assistants, the assistant for a client; the agenda names both parties, so no engagement is read.
   */
  private async counterparts(agendas: Agenda[], p: Principal, token: string): Promise<Map<string, string>> {
    const items = agendas.flatMap((a) => a.items.filter((i) => !i.busy && i.id));
    const otherOf = (i: AgendaItem) => (p.role === 'client' ? i.assistantId : i.clientId) ?? '';
    const ids = [...new Set(items.map(otherOf).filter(Boolean))];
    const names = await namesOf(this.api, token, p.role === 'client' ? { assistants: ids } : { clients: ids });
    return new Map(items.map((i) => [i.id!, names.get(otherOf(i)) ?? '(unknown)']));
  }

  private section(person: Person, agenda: Agenda, names: Map<string, string>, p: Principal): Html {
    const other = p.role === 'client' ? 'Assistant' : 'Client';
    const rows = agenda.items.map((a) =>
      a.busy
        ? html`<tr><td>${a.localStart}–${a.localEnd}</td><td><time data-viewer datetime="${a.startsAt}">${a.startsAt}</time></td><td colspan="5" class="muted">busy</td></tr>`
        : html`<tr data-appointment="${a.id}"><td>${a.localStart}–${a.localEnd}</td><td><time data-viewer datetime="${a.startsAt}">${a.startsAt}</time></td><td>${a.title ?? a.kind}</td><td>${names.get(a.id ?? '') ?? ''}</td><td>${a.status}</td><td>${statusFlag(a)}</td><td>${
            a.status === 'booked' ? html`<a href="/appointments/${a.id}/move" aria-label="Move ${a.title ?? a.kind} at ${a.localStart}">Move</a>` : html``
          }</td></tr>`,
    );
    return html`
      <section aria-labelledby="p-${person.id}">
        <h2 id="p-${person.id}">${person.name} <span class="muted">(${agenda.timezone})</span></h2>
        ${
          agenda.items.length === 0
            ? html`<p class="muted">Nothing booked.</p>`
            : html`<table><caption class="muted">${agenda.items.length} appointment(s)</caption>
                <thead><tr><th scope="col">Time (${agenda.timezone})</th><th scope="col">Your time</th><th scope="col">What</th><th scope="col">${other}</th><th scope="col">Status</th><th scope="col">Flags</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>${rows}</tbody></table>`
        }
      </section>`;
  }
}
