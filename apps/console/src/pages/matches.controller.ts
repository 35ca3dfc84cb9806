import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ServicesApi } from '../api';
import type { ConsoleConfig } from '../config';
import { html, page } from '../html';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { attempt, options, refuse, sessionAs, UUID } from './forms';
import type { Person } from './people';

interface Match {
  assistantId: string;
  name: string;
  timezone: string;
  rank: number;
  score: number;
  spareWeeklyHours: number;
  overlapMinutesPerWeek: number;
  skillsMatched: string[];
  reasons: string[];
}

/**
 * Suggested assistants for one of the agency's clients: the clients service's ranking
 * (GET /assistants/matches, docs/matching.md) for the hours, kind and skills asked, each with its
 * reasons and a link to start the engagement with them.
 */
@Controller('clients')
export class MatchesPageController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly api: ServicesApi,
  ) {}

  @Get(':id/matches')
  async show(
    @Req() req: PageRequest,
    @Res() res: PageResponse,
    @Param('id') id: string,
    @Query('weeklyHours') hoursParam?: unknown,
    @Query('kind') kindParam?: unknown,
    @Query('skills') skillsParam?: unknown,
  ): Promise<void> {
    // a parameter given twice arrives as a list: the first one counts
    const text = (v: unknown, otherwise: string): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : otherwise);
    const [weeklyHours, kind, skills] = [text(hoursParam, '10'), text(kindParam, 'part-time'), text(skillsParam, '')];
    const session = sessionAs(this.config, req, res, ['agency-admin'], { title: 'Suggested assistants', message: 'Suggesting assistants is the agency’s.' });
    if (!session) return;
    const { principal: p, token } = session;
    const back = { href: `/clients/${id}`, label: 'Back to the client' };
    if (!UUID.test(id)) return refuse(res, p, 'Not found', 404, 'No such client.', { href: '/clients', label: 'Clients' });
    const query = new URLSearchParams({ clientId: id, weeklyHours, kind, ...(skills.trim() ? { skills } : {}) });
    const found = await attempt(res, p, 'Suggested assistants', back, () =>
      Promise.all([this.api.get<Person>('clients', `/clients/${id}`, token), this.api.get<{ items: Match[] }>('clients', `/assistants/matches?${query}`, token)]),
    );
    if (!found) return;
    const [client, { items }] = found;
    const start = (m: Match) => `/engagements/new?${new URLSearchParams({ clientId: id, assistantId: m.assistantId })}`;
    const rows = items.map(
      (m) => html`<li data-match="${m.assistantId}"><p><strong>${m.rank}. ${m.name}</strong> <span class="muted">(${m.timezone})</span> · score ${m.score}
        · <a href="${start(m)}">Start an engagement with ${m.name}</a></p><ul class="reasons">${m.reasons.map((r) => html`<li>${r}</li>`)}</ul></li>`,
    );
    const body = html`
      <p><a href="/clients/${id}">${client.name}</a> · how the ranking works: skills, overlap of working hours with ${client.name}'s business hours
        (Monday to Friday 09:00-17:00, ${client.timezone}) over the next 4 weeks, reliability, spare hours and how much each assistant would depend on one client.</p>
      <form method="get" action="/clients/${id}/matches">
        <label>Hours a week <input name="weeklyHours" required inputmode="decimal" size="6" value="${weeklyHours}"></label>
        <label>Kind <select name="kind">${options(['part-time', 'full-time'], kind)}</select></label>
        <label>Skills <input name="skills" size="30" value="${skills}" placeholder="bookkeeping, social-media"></label>
        <button type="submit">Suggest</button>
      </form>
      ${items.length === 0 ? html`<p class="muted">No assistant can take ${weeklyHours} h a week (${kind}) now.</p>` : html`<ol class="matches">${rows}</ol>`}`;
    res.type('html').send(page(`Suggested assistants for ${client.name}`, body, p));
  }
}
