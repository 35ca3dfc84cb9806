import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Principal } from '@vaops/platform';
import { ServicesApi } from '../api';
import type { ConsoleConfig } from '../config';
import { html, page } from '../html';
import { sessionCookie, sessionOf } from '../session';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { demoAdmin, demoPeople, tokenOf } from './people';

const SESSION_HOURS = 8;

/**
 * Outside production, a demo sign-in page lists the demo agency's people (its admin, each client, each
 * assistant) and signs in as one of them with one click. In production it is not there (404).
 */
@Controller()
export class SignInController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly api: ServicesApi,
  ) {}

  @Get()
  home(@Req() req: PageRequest, @Res() res: PageResponse): void {
    res.redirect(303, sessionOf(this.config, req.headers.cookie) ? '/today' : '/signin');
  }

  @Get('signin')
  async signInPage(@Res() res: PageResponse): Promise<void> {
    if (!this.config.demoSignIn) {
      res.status(404).type('html').send(page('Not found', html`<p>Sign-in goes through the agency's identity provider.</p>`, null));
      return;
    }
    const people = await demoPeople(this.api, this.config);
    const button = (as: string, label: string, detail: string) =>
      html`<li><form class="inline" method="post" action="/signin"><input type="hidden" name="as" value="${as}"><button type="submit">${label}</button></form> <span class="muted">${detail}</span></li>`;
    const body = html`
      <p>Demo sign-in for <strong>${this.config.demoAgency}</strong> (not available in production): choose who you are.</p>
      <h2>Agency</h2>
      <ul class="people">${[button('agency-admin', 'Agency admin', 'ops: every client, assistant and invoice')]}</ul>
      <h2>Clients (${people.clients.length})</h2>
      <ul class="people">${people.clients.map((c) => button(`client:${c.id}`, c.name, c.timezone))}</ul>
      <h2>Assistants (${people.assistants.length})</h2>
      <ul class="people">${people.assistants.map((a) => button(`assistant:${a.id}`, a.name, a.timezone))}</ul>`;
    res.type('html').send(page('Sign in', body, null));
  }

  @Post('signin')
  @HttpCode(303)
  signIn(@Body() body: { as?: unknown } | undefined, @Res() res: PageResponse): void {
    if (!this.config.demoSignIn) {
      res.status(404).type('html').send(page('Not found', html`<p>Not found.</p>`, null));
      return;
    }
    const who = this.principalOf(body?.as);
    if (!who) {
      res.status(400).type('html').send(page('Sign in', html`<p class="error" role="alert">Choose someone to sign in as (as: agency-admin, client:&lt;id&gt; or assistant:&lt;id&gt;).</p><p><a href="/signin">Back</a></p>`, null));
      return;
    }
    res.setHeader('Set-Cookie', sessionCookie(this.config, tokenOf(this.config, who, SESSION_HOURS * 3600), SESSION_HOURS * 3600));
    res.redirect(303, '/today');
  }

  @Get('signout')
  signOut(@Res() res: PageResponse): void {
    res.setHeader('Set-Cookie', sessionCookie(this.config, null, 0));
    res.redirect(303, '/signin');
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
