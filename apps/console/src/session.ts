import { PROVIDER_ALGORITHMS, tokenAlgorithm, verifyToken, type Principal } from '@vaops/platform';
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

/** A token the agency's identity provider signed (RS256/ES256), not the console's own HS256 one. */
export const isProviderToken = (token: string): boolean => (PROVIDER_ALGORITHMS as readonly string[]).includes(tokenAlgorithm(token) ?? '');

/**
 * Provider-signed session tokens, with the principal they map to, as ProviderSessionMiddleware left them
 * after verifying them for the request at hand (with the services' rules; that check is asynchronous, as
 * it may read the provider's key set, and sessionOf is not). A token it refused is not here.
 */
const verifiedProviderTokens = new Map<string, { principal: Principal; expiresAt: number }>();
const MAX_VERIFIED = 10_000;

export function rememberVerified(token: string, principal: Principal, expiresAt: number, now = Date.now()): void {
  verifiedProviderTokens.delete(token);
  if (verifiedProviderTokens.size >= MAX_VERIFIED) {
    for (const [t, v] of verifiedProviderTokens) if (v.expiresAt <= now) verifiedProviderTokens.delete(t);
    // still full of live sessions: the oldest verification goes (its next request verifies it again)
    if (verifiedProviderTokens.size >= MAX_VERIFIED) verifiedProviderTokens.delete(verifiedProviderTokens.keys().next().value as string);
  }
  verifiedProviderTokens.set(token, { principal, expiresAt });
}

export function forgetVerified(token: string): void {
  verifiedProviderTokens.delete(token);
}

/**
 * The session cookie's token, if it is one the services would accept: the console's HS256 token (demo
 * sign-in) checked here, or the identity provider's, checked for this request by
 * ProviderSessionMiddleware (signature against the provider's keys, issuer, audience, expiry, claims).
 */
export function sessionOf(config: ConsoleConfig, cookieHeader: string | undefined): Session | null {
  const token = cookieValue(cookieHeader, SESSION_COOKIE);
  if (!token) return null;
  if (isProviderToken(token)) {
    const verified = verifiedProviderTokens.get(token);
    return verified && verified.expiresAt > Date.now() ? { principal: verified.principal, token } : null;
  }
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
