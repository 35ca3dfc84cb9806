import type { Principal } from '@vaops/platform';
import { html, page } from '../html';
import type { PageResponse } from '../tokens';

/** A posted form (urlencoded): every field is untrusted text. */
export type Form = Record<string, unknown> | undefined;
export const field = (body: Form, name: string): string => (typeof body?.[name] === 'string' ? (body[name] as string) : '');
export const UUID = /^[0-9a-f-]{36}$/;

/** A page that says what was refused and why, with the status, and a way back. */
export function refuse(res: PageResponse, p: Principal | null, title: string, status: number, message: string, back: { href: string; label: string }): void {
  res.status(status).type('html').send(page(title, html`<p class="error" role="alert">${message}</p><p><a href="${back.href}">${back.label}</a></p>`, p));
}
