import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import request from 'supertest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, freePort, launchChromium, startService, tokenFor, uniqueName, waitUntil, type RunningService } from '@vaops/testing';
import { TestProvider } from './test-provider';

const API = 'https://api.vaops.test';
const CLIENT_ID = 'vaops-console';
/** A second console, a public client, that forwards the ID token (as with a provider whose access tokens are opaque). */
const ID_CLIENT_ID = 'vaops-console-id-token';

/**
 * Sign-in with the agency's identity provider, end to end: a real OpenID Provider (oidc-provider) in this
 * test process, the clients and scheduling services accepting its tokens (VAOPS_OIDC_*), the console
 * signing in through it (authorization code with PKCE) with its demo sign-in off, driven in a real
 * headless Chromium.
 */
describe("the console signs in through the agency's identity provider", () => {
  const agency = uniqueName('agency-oidc').replace(/[^a-zA-Z0-9-]/g, '-');
  const admin = tokenFor({ sub: `ops-${agency}`, agencyId: agency, role: 'agency-admin' });
  const ids = { client: '', other: '', assistant: '' };
  let provider: TestProvider;
  let consoleUrl: string;
  let idConsoleUrl: string;
  let clients: RunningService;
  let scheduling: RunningService;
  let consoleApp: RunningService;
  let idClients: RunningService;
  let idConsole: RunningService;
  let browser: Browser;
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

  const post = async (path: string, body: object) => {
    const r = await request(clients.url).post(path).set('Authorization', `Bearer ${admin}`).send(body);
    if (r.status >= 300) throw new Error(`POST ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body as { id: string };
  };

  beforeAll(async () => {
    consoleUrl = `http://127.0.0.1:${await freePort()}`;
    idConsoleUrl = `http://127.0.0.1:${await freePort()}`;
    provider = new TestProvider({
      clients: [
        { consoleUrl, clientId: CLIENT_ID, clientSecret: 'a-client-secret-only-this-test-knows' },
        { consoleUrl: idConsoleUrl, clientId: ID_CLIENT_ID },
      ],
      api: API,
    });
    await provider.start();
    const oidc = { VAOPS_OIDC_ISSUER: provider.issuer, VAOPS_OIDC_JWKS_URL: provider.jwksUrl, VAOPS_OIDC_AUDIENCE: API };
    // services whose audience is the second console's client id: the audience of the ID tokens it forwards
    const idTokenOidc = { ...oidc, VAOPS_OIDC_AUDIENCE: ID_CLIENT_ID };
    const prefix = `${uniqueName('oidc').replace(/[^a-zA-Z0-9]/g, '_')}.`;
    [clients, scheduling, idClients] = await Promise.all([startService('clients', { VAOPS_TOPIC_PREFIX: prefix, ...oidc }), startService('scheduling', { VAOPS_TOPIC_PREFIX: prefix, ...oidc }), startService('clients', idTokenOidc)]);
    idConsole = await startService('console', {
      ...idTokenOidc,
      PORT: idConsoleUrl.split(':')[2],
      VAOPS_CLIENTS_URL: idClients.url,
      VAOPS_SCHEDULING_URL: 'http://127.0.0.1:9',
      VAOPS_TIME_TRACKING_URL: 'http://127.0.0.1:9',
      VAOPS_BILLING_URL: 'http://127.0.0.1:9',
      VAOPS_ANALYTICS_URL: 'http://127.0.0.1:9',
      VAOPS_DEMO_SIGN_IN: '0',
      VAOPS_OIDC_CLIENT_ID: ID_CLIENT_ID,
      VAOPS_CONSOLE_URL: idConsoleUrl,
      VAOPS_OIDC_SCOPES: 'openid vaops_claims',
      VAOPS_OIDC_FORWARD_TOKEN: 'id_token',
    });
    consoleApp = await startService('console', {
      ...oidc,
      PORT: consoleUrl.split(':')[2],
      VAOPS_CLIENTS_URL: clients.url,
      VAOPS_SCHEDULING_URL: scheduling.url,
      VAOPS_TIME_TRACKING_URL: 'http://127.0.0.1:9',
      VAOPS_BILLING_URL: 'http://127.0.0.1:9',
      VAOPS_ANALYTICS_URL: 'http://127.0.0.1:9',
      VAOPS_DEMO_SIGN_IN: '0',
      VAOPS_OIDC_CLIENT_ID: CLIENT_ID,
      VAOPS_OIDC_CLIENT_SECRET: 'a-client-secret-only-this-test-knows',
      VAOPS_CONSOLE_URL: consoleUrl,
      VAOPS_OIDC_SCOPES: 'openid vaops',
      VAOPS_OIDC_RESOURCE: API,
    });
    ids.client = (await post('/clients', { name: 'Jones Realty', email: 'ops@jones.example', timezone: 'America/New_York', currency: 'USD' })).id;
    ids.other = (await post('/clients', { name: 'Harbor Bakery', email: 'ops@harbor.example', timezone: 'Europe/Berlin', currency: 'EUR' })).id;
    ids.assistant = (await post('/assistants', { name: 'Ana Lima', email: 'ana@va.example', timezone: 'Europe/London', weeklyCapacityHours: 30, skills: [], payRate: { amountMinor: 1500, currency: 'USD' }, workingHours: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' })) })).id;
    provider.addAccount({ login: 'ada', claims: { vaops_agency: agency, vaops_role: 'agency-admin' } });
    provider.addAccount({ login: 'jones', claims: { vaops_agency: agency, vaops_role: 'client', vaops_client: ids.client } });
    provider.addAccount({ login: 'stranger', claims: {} });
    // the pages read the roster (clients) and each person's day (scheduling, once it has learnt them)
    await waitUntil(async () => (await request(clients.url).get('/assistants').set('Authorization', `Bearer ${admin}`)).body.items?.length === 1, { timeoutMs: 30_000, what: 'the roster' });
    for (const q of [`assistantId=${ids.assistant}`, `clientId=${ids.client}`]) {
      await waitUntil(async () => (await request(scheduling.url).get(`/agenda?date=${tomorrow}&${q}`).set('Authorization', `Bearer ${admin}`)).status === 200, { timeoutMs: 30_000, what: `scheduling to learn ${q}` });
    }
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([consoleApp?.stop(), idConsole?.stop(), clients?.stop(), scheduling?.stop(), idClients?.stop()]);
    await provider?.stop();
  });

  /**
   * A browser of its own, which reaches only this machine (the provider's pages name a web font), and
   * the authorization requests it sent to the provider. `bypassCSP` only to inject axe-core.
   */
  const browse = async (): Promise<{ context: BrowserContext; page: Page; authorizationRequests: URL[] }> => {
    const context = await browser.newContext({ bypassCSP: true });
    await context.route('**/*', (route) => (['127.0.0.1', 'localhost'].includes(new URL(route.request().url()).hostname) ? route.continue() : route.abort()));
    const page = await context.newPage();
    const authorizationRequests: URL[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.origin === provider.issuer && url.pathname === '/auth') authorizationRequests.push(url);
    });
    return { context, page, authorizationRequests };
  };

  /** The provider's development login form and consent page, as a person fills them in. */
  const signInAtProvider = async (page: Page, login: string) => {
    await page.waitForURL((u) => u.origin === provider.issuer && u.pathname.startsWith('/interaction/'));
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=password]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  };

  const sessionCookieOf = async (context: BrowserContext) => (await context.cookies(consoleUrl)).find((c) => c.name === 'vaops_session');

  it('sends a visitor to the provider with PKCE (S256), state and nonce, and signs the agency admin in on /today', async () => {
    const { context, page, authorizationRequests } = await browse();
    await page.goto(`${consoleUrl}/`);
    await signInAtProvider(page, 'ada');
    await page.waitForURL(`${consoleUrl}/today`);
    expect(authorizationRequests).toHaveLength(1);
    const auth = authorizationRequests[0].searchParams;
    expect({ response_type: auth.get('response_type'), client_id: auth.get('client_id'), redirect_uri: auth.get('redirect_uri'), scope: auth.get('scope'), resource: auth.get('resource'), code_challenge_method: auth.get('code_challenge_method') }).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${consoleUrl}/signin/callback`,
      scope: 'openid vaops',
      resource: API,
      code_challenge_method: 'S256',
    });
    // a SHA-256 digest in base64url, and random state and nonce (none of them the verifier, which stays in the encrypted cookie)
    expect(auth.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auth.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auth.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await expect(page.getByTestId('signed-in-as').innerText()).resolves.toBe('ada');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts()).resolves.toEqual(expect.arrayContaining(['Team', 'Clients', 'Alerts']));
    await expect(page.getByRole('heading', { level: 2 }).allInnerTexts()).resolves.toEqual(['Ana Lima (Europe/London)']);

    // the session holds the provider's access token, for the services' audience, and nothing of the flow is left
    const cookie = await sessionCookieOf(context);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const token = decodeURIComponent(cookie!.value);
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    expect(decodeJwt(token)).toMatchObject({ iss: provider.issuer, aud: API, sub: 'ada', vaops_agency: agency, vaops_role: 'agency-admin' });
    expect((await context.cookies(`${consoleUrl}/signin/callback`)).map((c) => c.name)).not.toContain('vaops_signin');
    // which is the token the services take: the console forwards it as it is
    await request(clients.url).get('/assistants').set('Authorization', `Bearer ${token}`).expect(200);

    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('answers a tampered state, a callback without its sign-in, and the provider refusing, with a 400 page', async () => {
    const { context, page } = await browse();
    const callbacks: { url: URL; status: number }[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(`${consoleUrl}/signin/callback`)) callbacks.push({ url: new URL(r.url()), status: r.status() });
    });
    // the sign-in starts as the console starts it: the flow cookie into this browser, the way to the provider
    const start = await context.request.get(`${consoleUrl}/signin`, { maxRedirects: 0 });
    expect(start.status()).toBe(303);
    expect(start.headers()['set-cookie']).toMatch(/^vaops_signin=[A-Za-z0-9_-]+; Path=\/signin; HttpOnly; SameSite=Lax; Max-Age=600$/);
    const authorize = new URL(start.headers().location);
    const state = authorize.searchParams.get('state')!;
    expect(start.headers()['set-cookie']).not.toContain(state); // sealed, not readable
    // someone else's state comes back: the provider returns whatever state it was given
    authorize.searchParams.set('state', `${state}x`);
    await page.goto(authorize.href);
    await signInAtProvider(page, 'ada');
    await page.waitForURL((u) => u.href.startsWith(`${consoleUrl}/signin/callback`));
    expect(callbacks.map((c) => [c.url.searchParams.get('state'), c.status])).toEqual([[`${state}x`, 400]]);
    expect(callbacks[0].url.searchParams.get('code')).toBeTruthy();
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/^The identity provider's answer did not check out: .*"state".*Sign in again\.$/);
    expect(await sessionCookieOf(context)).toBeUndefined();
    expect(await axeViolations(page)).toEqual([]);

    // the sign-in is spent: its code with the right state is refused too, as a flow this browser no longer has
    const replay = new URL(callbacks[0].url);
    replay.searchParams.set('state', state);
    expect((await page.goto(replay.href))?.status()).toBe(400);
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/^This sign-in was not started in this browser, or it took longer than 10 minutes\./);
    expect(await sessionCookieOf(context)).toBeUndefined();

    // no flow cookie at all (another browser, or expired)
    const stray = await request(consoleUrl).get('/signin/callback?code=abc&state=def');
    expect(stray.status).toBe(400);
    expect(stray.type).toBe('text/html');

    await context.close();

    // someone else (a browser not signed in at the provider) cancels there: it answers error=access_denied
    const other = await browse();
    await other.page.goto(`${consoleUrl}/signin`);
    await other.page.waitForURL((u) => u.origin === provider.issuer && u.pathname.startsWith('/interaction/'));
    const [cancelled] = await Promise.all([other.page.waitForResponse((r) => r.url().startsWith(`${consoleUrl}/signin/callback?error=access_denied`)), other.page.getByRole('link', { name: '[ Cancel ]' }).click()]);
    expect(cancelled.status()).toBe(400);
    await expect(other.page.getByRole('alert').innerText()).resolves.toBe('The identity provider did not sign you in: access_denied (End-User aborted interaction).');
    expect(await sessionCookieOf(other.context)).toBeUndefined();
    await other.context.close();
  });

  it('shows a client-role person its own pages only', async () => {
    const { context, page } = await browse();
    await page.goto(`${consoleUrl}/today`);
    await signInAtProvider(page, 'jones');
    await page.waitForURL(`${consoleUrl}/today`);
    await expect(page.getByTestId('signed-in-as').innerText()).resolves.toBe('jones');
    await expect(page.getByRole('heading', { level: 2 }).allInnerTexts()).resolves.toEqual(['Jones Realty (America/New_York)']);
    const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
    expect(links).toEqual(expect.arrayContaining(['Today', 'Timesheets', 'Invoices']));
    for (const agencys of ['Team', 'Clients', 'Alerts']) expect(links).not.toContain(agencys);
    expect(await axeViolations(page)).toEqual([]);
    for (const [path, status] of [['/team', 403], ['/alerts', 403], [`/clients/${ids.other}`, 404]] as const) {
      expect({ path, status: (await page.goto(`${consoleUrl}${path}`))?.status() }).toEqual({ path, status });
    }
    // the client list is the agency's: a client lands on its own page
    await page.goto(`${consoleUrl}/clients`);
    expect(new URL(page.url()).pathname).toBe(`/clients/${ids.client}`);
    // the services see the same person: the client's own record, not another's
    const token = decodeURIComponent((await sessionCookieOf(context))!.value);
    await request(clients.url).get(`/clients/${ids.client}`).set('Authorization', `Bearer ${token}`).expect(200);
    await request(clients.url).get(`/clients/${ids.other}`).set('Authorization', `Bearer ${token}`).expect(404);
    await context.close();
  });

  it('refuses someone the provider knows but vaops does not (no vaops claims) with a 403 page, and no session', async () => {
    const { context, page } = await browse();
    await page.goto(`${consoleUrl}/signin`);
    await signInAtProvider(page, 'stranger');
    await page.waitForURL((u) => u.href.startsWith(`${consoleUrl}/signin/callback`));
    await expect(page.getByRole('alert').innerText()).resolves.toBe('You signed in at the identity provider as stranger, but vaops does not accept its token: token has no agencyId. Ask the agency to give your account a vaops role.');
    expect(await sessionCookieOf(context)).toBeUndefined();
    await context.close();
  });

  /** A token that looks like the provider's (its issuer, key id, the API's audience, vaops claims) but is signed by another key. */
  const forgedToken = async (issuer: string) => {
    const { privateKey } = await generateKeyPair('RS256');
    return new SignJWT({ vaops_agency: agency, vaops_role: 'agency-admin' })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-rs256' })
      .setIssuer(issuer)
      .setAudience(API)
      .setSubject('mallory')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  };

  it('verifies the session token on every page as the services do: one the provider did not sign is no session', async () => {
    const forged = await forgedToken(provider.issuer);
    const page = await request(consoleUrl).get('/today').set('Cookie', `vaops_session=${encodeURIComponent(forged)}`);
    expect({ status: page.status, location: page.headers.location }).toEqual({ status: 303, location: '/signin' });
    // the demo sign-in is off: the form and its page are not there
    expect((await request(consoleUrl).post('/signin').type('form').send({ as: 'agency-admin' })).status).toBe(404);
    expect((await request(consoleUrl).get('/signin/demo')).status).toBe(404);
  });

  it('answers with a page, not a 500, when the provider cannot be reached: 502 to sign in, 503 to check a session; sign-out still works', async () => {
    const gone = `http://127.0.0.1:${await freePort()}`;
    const stranded = await startService('console', { VAOPS_OIDC_ISSUER: gone, VAOPS_OIDC_JWKS_URL: `${gone}/jwks`, VAOPS_OIDC_AUDIENCE: API, VAOPS_OIDC_CLIENT_ID: CLIENT_ID, VAOPS_CONSOLE_URL: 'http://127.0.0.1:1', VAOPS_DEMO_SIGN_IN: '0' });
    try {
      const signin = await request(stranded.url).get('/signin');
      expect([signin.status, signin.type]).toEqual([502, 'text/html']);
      expect(signin.text).toContain(`The identity provider at ${gone} could not be read`);
      const today = await request(stranded.url).get('/today').set('Cookie', `vaops_session=${encodeURIComponent(await forgedToken(gone))}`);
      expect([today.status, today.type]).toEqual([503, 'text/html']);
      expect(today.text).toContain('Your session cannot be checked right now');
      const signout = await request(stranded.url).get('/signout');
      expect({ status: signout.status, location: signout.headers.location }).toEqual({ status: 303, location: '/signedout' });
      expect(signout.headers['set-cookie']).toEqual(expect.arrayContaining([expect.stringMatching(/^vaops_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/)]));
    } finally {
      await stranded.stop();
    }
  });

  it('forwards the ID token instead where so configured (a public client): the services whose audience is the client id take it', async () => {
    const { context, page, authorizationRequests } = await browse();
    await page.goto(`${idConsoleUrl}/today`);
    await signInAtProvider(page, 'ada');
    // the agency of these services has no assistant yet: its day is empty, and read with the ID token
    await page.waitForURL(`${idConsoleUrl}/today`);
    await expect(page.getByTestId('signed-in-as').innerText()).resolves.toBe('ada');
    const auth = authorizationRequests[0].searchParams;
    expect([auth.get('client_id'), auth.get('code_challenge_method'), auth.get('scope'), auth.get('resource')]).toEqual([ID_CLIENT_ID, 'S256', 'openid vaops_claims', null]);
    const token = decodeURIComponent((await sessionCookieOf(context))!.value);
    expect(decodeJwt(token)).toMatchObject({ iss: provider.issuer, aud: ID_CLIENT_ID, sub: 'ada', nonce: auth.get('nonce'), vaops_agency: agency, vaops_role: 'agency-admin' });
    await request(idClients.url).get('/assistants').set('Authorization', `Bearer ${token}`).expect(200);
    // not a token for the API's audience
    await request(clients.url).get('/assistants').set('Authorization', `Bearer ${token}`).expect(401);
    await context.close();
  });

  it("signs out of the console and, through its end_session_endpoint, of the provider", async () => {
    const { context, page } = await browse();
    await page.goto(`${consoleUrl}/today`);
    await signInAtProvider(page, 'ada');
    await page.waitForURL(`${consoleUrl}/today`);
    await page.getByRole('link', { name: 'Sign out' }).click();
    // the provider asks before it ends its own session
    await page.waitForURL((u) => u.origin === provider.issuer);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${consoleUrl}/signedout`);
    await expect(page.getByRole('status').innerText()).resolves.toBe('You are signed out.');
    expect(await sessionCookieOf(context)).toBeUndefined();
    expect(await axeViolations(page)).toEqual([]);
    // signed out at the provider too: a page of the console asks for the login again
    await page.goto(`${consoleUrl}/today`);
    await page.waitForURL((u) => u.origin === provider.issuer && u.pathname.startsWith('/interaction/'));
    await expect(page.locator('input[name=login]').count()).resolves.toBe(1);
    await context.close();
  });
});
