import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { localDate } from '@vaops/contracts';
import { ServicesApi } from '../api';
import { ConsoleCalendar } from '../calendar';
import type { ConsoleConfig } from '../config';
import { html, liveRegion, page, type Html } from '../html';
import { freshness, readFresh, withFreshness } from '../live/fresh';
import { LiveFeed } from '../live/live-feed';
import { sessionOf } from '../session';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { namesOf } from './names';

interface Engagement {
  id: string;
  clientId: string;
  assistantId: string;
  status: 'active' | 'in-notice' | 'ended';
  endsOn: string | null;
  plan: { type: 'hourly' | 'retainer' };
  silent: { since: string } | null;
  review: { nextReviewDue: string | null; overdue: boolean } | null;
}
interface Burn {
  engagementId: string;
  usedMinutes: number;
  includedMinutes: number;
  percentUsed: number;
}

/** How many days ahead a notice counts as ending soon. */
export const NOTICE_SOON_DAYS = 14;
/** Retainers one request to time-tracking's `GET /retainers` asks about (its limit). */
const RETAINERS_PER_REQUEST = 200;

/**
 * The agency's alerts: engagements gone silent, notices ending within 14 days, reviews overdue, and
 * retainers past 80 % of the month's included hours (approved time). The list is a live region:
 * `?fragment=alerts` renders it alone, for the page to swap in when the stream says it changed.
 */
@Controller('alerts')
export class AlertsController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly api: ServicesApi,
    private readonly feed: LiveFeed,
    private readonly calendar: ConsoleCalendar,
  ) {}

  @Get()
  async show(@Req() req: PageRequest, @Res() res: PageResponse, @Query('fragment') fragment?: unknown): Promise<void> {
    const session = sessionOf(this.config, req.headers.cookie);
    const partial = fragment !== undefined;
    if (partial && fragment !== 'alerts') {
      res.status(400).type('text/plain').send('the fragment of this page is "alerts"');
      return;
    }
    if (!session) {
      // a region read again by the live script gets no sign-in page to swap in
      if (partial) return res.status(401).type('text/plain').send('signed out');
      return res.redirect(303, '/signin');
    }
    const { principal: p, token } = session;
    if (p.role !== 'agency-admin') {
      res.status(403).type('html').send(page('Alerts', html`<p class="error" role="alert">Alerts are the agency's.</p>`, p));
      return;
    }
    const fresh = freshness(this.feed, 'clients', partial);
    const [engagements, zone] = await Promise.all([readFresh(fresh, (f) => this.api.all<Engagement>('clients', withFreshness('/engagements', f), token, 5_000)), this.calendar.agencyZone(token)]);
    const live = engagements.filter((e) => e.status !== 'ended');
    // notice ends and retainer months are the agency's days
    const now = this.calendar.in(zone);
    const today = now.toISODate()!;
    const soon = now.plus({ days: NOTICE_SOON_DAYS }).toISODate()!;
    const month = now.toFormat('yyyy-MM');
    const retainers = live.filter((e) => e.plan?.type === 'retainer');
    // every retainer's month in a few requests (200 a request), not one each
    const approved = freshness(this.feed, 'timeTracking', partial);
    const chunks: string[][] = [];
    for (let i = 0; i < retainers.length; i += RETAINERS_PER_REQUEST) chunks.push(retainers.slice(i, i + RETAINERS_PER_REQUEST).map((e) => e.id));
    const answers = await Promise.all(chunks.map((ids) => readFresh(approved, (f) => this.api.get<{ items: Burn[] }>('timeTracking', withFreshness(`/retainers?month=${month}&engagementIds=${ids.join(',')}`, f), token)).catch(() => ({ items: [] as Burn[] }))));
    const burnOf = new Map(answers.flatMap((a) => a.items).map((b) => [b.engagementId, b]));
    // names only of the engagements in an alert (a few), not of the whole agency
    const alerting = live.filter((e) => e.silent || e.status === 'in-notice' || e.review?.overdue || (burnOf.get(e.id)?.percentUsed ?? 0) >= 80);
    const name = await namesOf(this.api, token, { clients: alerting.map((e) => e.clientId), assistants: alerting.map((e) => e.assistantId) });
    const who = (e: Engagement) => html`<td>${name.get(e.clientId) ?? '(unknown)'}</td><td>${name.get(e.assistantId) ?? '(unknown)'}</td>`;
    const section = (title: string, id: string, head: Html, rows: Html[]) =>
      html`<section aria-labelledby="${id}"><h2 id="${id}">${title} (${rows.length})</h2>${
        rows.length === 0 ? html`<p class="muted">None.</p>` : html`<table data-alerts="${id}"><thead><tr><th scope="col">Client</th><th scope="col">Assistant</th>${head}</tr></thead><tbody>${rows}</tbody></table>`
      }</section>`;
    const body = html`${section(
        'Silent engagements',
        'silent',
        html`<th scope="col">Silent since</th>`,
        live.filter((e) => e.silent).map((e) => html`<tr>${who(e)}<td>${localDate(e.silent!.since, zone)}</td></tr>`),
      )}
      ${section(
        `Notices ending within ${NOTICE_SOON_DAYS} days`,
        'notices',
        html`<th scope="col">Ends on</th>`,
        live.filter((e) => e.status === 'in-notice' && e.endsOn !== null && e.endsOn >= today && e.endsOn <= soon).map((e) => html`<tr>${who(e)}<td>${e.endsOn}</td></tr>`),
      )}
      ${section(
        'Reviews overdue',
        'reviews',
        html`<th scope="col">Was due</th>`,
        live.filter((e) => e.review?.overdue).map((e) => html`<tr>${who(e)}<td>${e.review!.nextReviewDue?.slice(0, 10) ?? ''}</td></tr>`),
      )}
      ${section(
        `Retainers past 80 % (${month})`,
        'retainers',
        html`<th scope="col">Used</th>`,
        retainers.flatMap((e) => {
          const b = burnOf.get(e.id);
          return b && b.percentUsed >= 80 ? [html`<tr>${who(e)}<td>${b.percentUsed} % (${Math.round(b.usedMinutes / 6) / 10} of ${b.includedMinutes / 60} h)</td></tr>`] : [];
        }),
      )}`;
    if (partial) {
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(body.value);
      return;
    }
    res.type('html').send(page('Alerts', liveRegion('alerts', 'Alerts updated', body), p, { live: true }));
  }
}
