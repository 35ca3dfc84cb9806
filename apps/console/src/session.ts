import { verifyToken, type Principal } from '@vaops/platform';
import type { ConsoleConfig } from './config';

export const SESSION_COOKIE = 'vaops_session';

/** The signed-in person and the token the console calls the services with, or null. */
export interface Session {
  principal: Principal;
  token: string;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined; // not percent-encoded text: no session
    }
  }
  return undefined;
}

/** The session cookie's token, if it is one the services would accept (signed, not expired). */
export function sessionOf(config: ConsoleConfig, cookieHeader: string | undefined): Session | null {
  const token = cookieValue(cookieHeader, SESSION_COOKIE);
  if (!token) return null;
  try {
    return { principal: verifyToken(config.jwtSecret, token), token };
  } catch {
    return null;
  }
}

/** The cookie that holds a session: HttpOnly (no script reads it), SameSite=Lax (no cross-site form posts). */
export function sessionCookie(config: ConsoleConfig, token: string | null, maxAgeSeconds: number): string {
  const attrs = ['Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${token ? maxAgeSeconds : 0}`, ...(config.secureCookies ? ['Secure'] : [])];
  return `${SESSION_COOKIE}=${token ? encodeURIComponent(token) : ''}; ${attrs.join('; ')}`;
}
