import type { Principal } from '@vaops/platform';
import { ServiceError } from '../api';
import { html, page, type Html } from '../html';
import type { ConsoleConfig } from '../config';
import { sessionOf, type Session } from '../session';
import type { PageRequest, PageResponse } from '../tokens';
import { EventSourcingErrors } from '@vaops/event-sourcing';

/** A posted form (urlencoded): every field is untrusted text. */
export type Form = Record<string, unknown> | undefined;
export const field = (body: Form, name: string): string => (typeof body?.[name] === 'string' ? (body[name] as string) : '');
export const UUID = /^[0-9a-f-]{36}$/;

/** A page that says what was refused and why, with the status, and a way back. */
export function refuse(res: PageResponse, p: Principal | null, title: string, status: number, message: string, back: { href: string; label: string }): void {
  res.status(status).type('html').send(page(title, html`<p class="error" role="alert">${message}</p><p><a href="${back.href}">${back.label}</a></p>`, p));
}

/** A sum typed in a form ("40", "12.50") in minor units, or null when it is not one. */
export function minorUnits(text: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Every IANA time zone the runtime knows, for a form's select. */
export const TIME_ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');

/** The currencies a form offers (the services take any ISO 4217 code; these are the agencies' usual ones). */
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'AUD', 'CAD', 'PHP', 'ARS'] as const;

/** `<option>`s with the one equal to `selected` marked. */
export const options = (values: readonly (string | { value: string; label: string })[], selected = ''): Html[] =>
  values.map((v) => {
    const { value, label } = typeof v === 'string' ? { value: v, label: v } : v;
    return value === selected ? html`<option value="${value}" selected>${label}</option>` : html`<option value="${value}">${label}</option>`;
  });

/**
 * Runs a command against a service; its refusal of what the person sent (400, 403, 404, 409, 413, 429)
 * is shown as a page with that status, the service's message (which names the field) and a way back.
 * Anything else goes to the error page.
 */
export async function attempt<T>(res: PageResponse, p: Principal, title: string, back: { href: string; label: string }, command: () => Promise<T>): Promise<T | undefined> {
  try {
    return await command();
  } catch (err) {
    if (err instanceof ServiceError && err.status >= 400 && err.status < 500 && err.status !== 401) {
      refuse(res, p, title, err.status, err.code === EventSourcingErrors.concurrencyConflict.code ? 'It changed since you saw it: look at it again.' : err.message, back);
      return undefined;
    }
    throw err;
  }
}

/**
 * The signed-in person if their role is one of `roles`: without a session the browser goes to sign-in,
 * another role gets a 403 page saying `refusal` (the same rule as the services' for the route).
 */
export function sessionAs(config: ConsoleConfig, req: PageRequest, res: PageResponse, roles: readonly Principal['role'][], refusal: { title: string; message: string; back?: { href: string; label: string } }): Session | null {
  const session = sessionOf(config, req.headers.cookie);
  if (!session) {
    res.redirect(303, '/signin');
    return null;
  }
  if (!roles.includes(session.principal.role)) {
    refuse(res, session.principal, refusal.title, 403, refusal.message, refusal.back ?? { href: '/today', label: 'Today' });
    return null;
  }
  return session;
}
