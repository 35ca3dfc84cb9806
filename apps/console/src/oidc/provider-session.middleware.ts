import { Injectable, type NestMiddleware } from '@nestjs/common';
import { IdentityProviderUnavailableError } from '@vaops/platform';
import { html, page } from '../html';
import { SESSION_COOKIE, cookieValue, forgetVerified, isProviderToken, rememberVerified } from '../session';
import type { PageRequest, PageResponse } from '../tokens';
import { OidcSignIn } from './oidc-sign-in';

/**
 * Before every page: a session cookie that holds the identity provider's token is verified as the
 * services verify it (IdentityProviderVerifier: the provider's key set, issuer, audience, expiry, the
 * claims mapped to a principal), and what it found is what sessionOf answers for this request. A token
 * it refuses is no session (the page sends the browser to sign in again); a provider whose keys cannot
 * be read answers 503.
 */
@Injectable()
export class ProviderSessionMiddleware implements NestMiddleware {
  constructor(private readonly oidc: OidcSignIn) {}

  async use(req: PageRequest, res: PageResponse, next: () => void): Promise<void> {
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (!this.oidc.enabled || !token || !isProviderToken(token)) return next();
    try {
      const { principal, expiresAt } = await this.oidc.verifySession(token);
      rememberVerified(token, principal, expiresAt);
    } catch (err) {
      forgetVerified(token);
      if (err instanceof IdentityProviderUnavailableError) {
        res.status(503).type('html').send(page('Sign-in unavailable', html`<p class="error" role="alert">Your session cannot be checked right now: ${err.message}. Try again in a moment.</p>`, null));
        return;
      }
    }
    next();
  }
}
