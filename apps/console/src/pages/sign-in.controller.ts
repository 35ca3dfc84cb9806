import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Principal } from '@vaops/platform';
import { ServicesApi } from '../api';
import type { ConsoleConfig } from '../config';
import { html, page, type Html } from '../html';
import { FLOW_COOKIE } from '../oidc/flow-cookie';
import { OidcSignIn, SignInFailed } from '../oidc/oidc-sign-in';
import { cookieValue, sessionCookie, sessionOf } from '../session';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { demoAdmin, demoPeople, tokenOf } from './people';

const SESSION_HOURS = 8;
/** The ID token, kept for the provider's sign-out (id_token_hint); sent to /signout only. */
const ID_HINT_COOKIE = 'vaops_id';

const FAILURE_TITLES: Record<SignInFailed['status'], string> = { 400: 'Sign-in failed', 403: 'Not allowed', 502: 'Identity provider unavailable', 503: 'Identity provider unavailable' };

/**
 * Sign-in. With the agency's identity provider configured (VAOPS_OIDC_CLIENT_ID and the services'
 * VAOPS_OIDC_* settings), `GET /signin` starts the OpenID Connect authorization code flow with PKCE and
 * `/signin/callback` ends it with a session that carries the provider's token. Outside production, a demo
 * sign-in page lists the demo agency's people (its admin, each client, each assistant) and signs in as
 * one of them with one click; in production it is not there (404).
 */
@Controller()
export class SignInController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly api: ServicesApi,
    private readonly oidc: OidcSignIn,
  ) {}

  @Get()
  home(@Req() req: PageRequest, @Res() res: PageResponse): void {
    res.redirect(303, sessionOf(this.config, req.headers.cookie) ? '/today' : '/signin');
  }

  @Get('signin')
  async signInPage(@Res() res: PageResponse): Promise<void> {
    if (this.oidc.enabled) return this.startProviderSignIn(res);
    if (this.config.demoSignIn) return this.demoPage(res);
    res.status(503).type('html').send(page('Sign-in is not configured', html`<p class="error" role="alert">Sign-in is not configured on this console: it signs in through the agency's identity provider once its operator sets VAOPS_OIDC_CLIENT_ID and the settings beside it.</p>`, null));
  }

  /** The demo page, also when a provider is configured (outside production, unless VAOPS_DEMO_SIGN_IN=0). */
  @Get('signin/demo')
  async demoSignInPage(@Res() res: PageResponse): Promise<void> {
    if (!this.config.demoSignIn) return this.notFound(res);
    return this.demoPage(res);
  }

  @Post('signin')
  @HttpCode(303)
  signIn(@Body() body: { as?: unknown } | undefined, @Res() res: PageResponse): void {
    if (!this.config.demoSignIn) return this.notFound(res);
    const who = this.principalOf(body?.as);
    if (!who) {
      res.status(400).type('html').send(page('Sign in', html`<p class="error" role="alert">Choose someone to sign in as (as: agency-admin, client:&lt;id&gt; or assistant:&lt;id&gt;).</p><p><a href="/signin">Back</a></p>`, null));
      return;
    }
    res.setHeader('Set-Cookie', sessionCookie(this.config, tokenOf(this.config, who, SESSION_HOURS * 3600), SESSION_HOURS * 3600));
    res.redirect(303, '/today');
  }

  /** Where the provider sends the browser back: the code becomes a session, or a page says why not. */
  @Get('signin/callback')
  async callback(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    if (!this.oidc.enabled) return this.notFound(res);
    const url = req.originalUrl ?? '';
    const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
    try {
      const signedIn = await this.oidc.finish(query, cookieValue(req.headers.cookie, FLOW_COOKIE));
      const seconds = Math.max(1, Math.floor((signedIn.expiresAt - Date.now()) / 1000));
      res.setHeader('Set-Cookie', [this.oidc.endFlowCookie, sessionCookie(this.config, signedIn.token, seconds), this.idHintCookie(signedIn.idToken, seconds)]);
      res.redirect(303, '/today');
    } catch (err) {
      if (!(err instanceof SignInFailed)) throw err;
      res.setHeader('Set-Cookie', this.oidc.endFlowCookie);
      this.failure(res, err);
    }
  }

  /** Ends the console's session, then the provider's where it has an end_session_endpoint. */
  @Get('signout')
  async signOut(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    res.setHeader('Set-Cookie', [sessionCookie(this.config, null, 0), this.idHintCookie(null, 0)]);
    if (!this.oidc.enabled) return res.redirect(303, '/signin');
    const atProvider = await this.oidc.endSessionUrl(cookieValue(req.headers.cookie, ID_HINT_COOKIE));
    res.redirect(303, atProvider ?? '/signedout');
  }

  @Get('signedout')
  signedOut(@Res() res: PageResponse): void {
    res.type('html').send(page('Signed out', html`<p role="status">You are signed out.</p><p><a href="/signin">Sign in again</a></p>`, null));
  }

  private async startProviderSignIn(res: PageResponse): Promise<void> {
    try {
      const { location, cookie } = await this.oidc.start();
      res.setHeader('Set-Cookie', cookie);
      res.redirect(303, location);
    } catch (err) {
      if (!(err instanceof SignInFailed)) throw err;
      this.failure(res, err);
    }
  }

  private async demoPage(res: PageResponse): Promise<void> {
    const people = await demoPeople(this.api, this.config);
    const button = (as: string, label: string, detail: string) =>
      html`<li><form class="inline" method="post" action="/signin"><input type="hidden" name="as" value="${as}"><button type="submit">${label}</button></form> <span class="muted">${detail}</span></li>`;
    const provider: Html = this.oidc.enabled ? html`<p><a href="/signin">Sign in with the agency's identity provider</a></p>` : html``;
    const body = html`
      <p>Demo sign-in for <strong>${this.config.demoAgency}</strong> (not available in production): choose who you are.</p>
      ${provider}
      <h2>Agency</h2>
      <ul class="people">${[button('agency-admin', 'Agency admin', 'ops: every client, assistant and invoice')]}</ul>
      <h2>Clients (${people.clients.length})</h2>
      <ul class="people">${people.clients.map((c) => button(`client:${c.id}`, c.name, c.timezone))}</ul>
      <h2>Assistants (${people.assistants.length})</h2>
      <ul class="people">${people.assistants.map((a) => button(`assistant:${a.id}`, a.name, a.timezone))}</ul>`;
    res.type('html').send(page('Sign in', body, null));
  }

  private failure(res: PageResponse, err: SignInFailed): void {
    res.status(err.status).type('html').send(page(FAILURE_TITLES[err.status], html`<p class="error" role="alert">${err.message}</p><p><a href="/signin">Sign in again</a></p>`, null));
  }

  private notFound(res: PageResponse): void {
    res.status(404).type('html').send(page('Not found', html`<p>Not found.</p>`, null));
  }

  private idHintCookie(idToken: string | null, maxAgeSeconds: number): string {
    const attrs = ['Path=/signout', 'HttpOnly', 'SameSite=Lax', `Max-Age=${idToken ? maxAgeSeconds : 0}`, ...(this.config.secureCookies ? ['Secure'] : [])];
    return `${ID_HINT_COOKIE}=${idToken ?? ''}; ${attrs.join('; ')}`;
  }

  private principalOf(as: unknown): Principal | null {
    if (typeof as !== 'string' || as.length > 100) return null;
    const agencyId = this.config.demoAgency;
    if (as === 'agency-admin') return demoAdmin(this.config);
    const m = /^(client|assistant):([0-9a-f-]{36})$/.exec(as);
    if (!m) return null;
    return m[1] === 'client' ? { sub: `client-${m[2]}`, agencyId, role: 'client', clientId: m[2] } : { sub: `assistant-${m[2]}`, agencyId, role: 'assistant', assistantId: m[2] };
  }
}
