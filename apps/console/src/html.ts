import type { Principal } from '@vaops/platform';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML: every value from a service or a request goes through here. */
export const esc = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** A template literal whose values are escaped, unless they are Html already. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    const part = Array.isArray(v) ? v.map((x) => (x instanceof Html ? x.value : esc(x))).join('') : v instanceof Html ? v.value : esc(v);
    out += part + strings[i + 1];
  });
  return new Html(out);
}

const roleLabel = (p: Principal) => (p.role === 'agency-admin' ? 'Agency' : p.role === 'client' ? 'Client' : 'Assistant');

export interface PageOptions {
  /**
   * The page has live regions (`liveRegion`): it loads the live script, which listens to `GET /live`
   * and fetches a region again when told, and shows whether it is live.
   */
  live?: boolean;
}

/**
 * A part of a page that refreshes itself without a reload: the page's controller renders it alone when
 * asked `?fragment=<name>`; `label` is what screen readers hear when it changed ("Agenda updated").
 */
export const liveRegion = (name: string, label: string, inner: Html): Html => html`<div id="live-${name}" data-live-region="${name}" data-live-label="${label}">${inner}</div>`;

/** The page around every view: a skip link, the navigation the role may use, the main content. */
export function page(title: string, body: Html, who: Principal | null, options: PageOptions = {}): string {
  const nav = who
    ? html`<nav aria-label="Main"><a href="/today">Today</a><a href="/timesheets">Timesheets</a>${who.role === 'assistant' ? html`<a href="/my-time">My time</a>` : html`<a href="/invoices">Invoices</a>`}${who.role === 'client' ? html`<a href="/clients/${who.clientId}">Engagements</a>` : html``}${who.role === 'agency-admin' ? html`<a href="/team">Team</a><a href="/clients">Clients</a><a href="/alerts">Alerts</a>` : html``}</nav>
        <p class="who">${roleLabel(who)} · <span data-testid="signed-in-as">${who.sub}</span> · <a href="/signout">Sign out</a></p>`
    : html``;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · vaops</title>
<link rel="stylesheet" href="/assets/console.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><p class="brand">vaops</p>${nav.value}${options.live ? '<p class="live-state" data-live-state hidden>offline</p>' : ''}</header>
<main id="main">
<h1>${esc(title)}</h1>
${options.live ? '<p class="visually-hidden" data-live-announce aria-live="polite"></p>\n' : ''}${body.value}
</main>
<script src="/assets/console.js" defer></script>
${options.live ? '<script src="/assets/live.js" defer></script>\n' : ''}</body>
</html>
`;
}
