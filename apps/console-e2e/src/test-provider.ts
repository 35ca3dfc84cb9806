import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';

/** Someone who can sign in at the test provider (the dev login form takes any password). */
export interface TestAccount {
  /** The login typed into the provider's form, which is also the token's `sub`. */
  login: string;
  /** The claims the provider's account store gives, put into the access token (vaops_agency, vaops_role, ...). */
  claims: Record<string, string>;
}

/** A console registered at the provider. */
export interface TestClient {
  /** The console's public base URL: its /signin/callback and /signedout are the client's registered URIs. */
  consoleUrl: string;
  clientId: string;
  /** Unset: a public client (no secret; PKCE alone). */
  clientSecret?: string;
}

export interface TestProviderOptions {
  clients: TestClient[];
  /** The services' API, as resource indicator and as the access token's audience. */
  api: string;
}

interface ProviderInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  on(event: string, listener: (...args: unknown[]) => void): void;
}
interface ProviderModule {
  default: new (issuer: string, configuration: object) => ProviderInstance;
  errors: { InvalidTarget: new () => Error };
}
interface IssuedToken {
  kind: string;
  accountId?: string;
}

/**
 * oidc-provider is an ES module. Jest's own module loader cannot run one in this CommonJS test, so it is
 * loaded with Node's require (which loads ES modules since Node 20.19): the provider still runs inside
 * this test process.
 */
function loadOidcProvider(): ProviderModule {
  const nodeModule = process.getBuiltinModule('node:module');
  return nodeModule.createRequire(__filename)('oidc-provider') as ProviderModule;
}

/**
 * The provider merges its configuration into its defaults only where both are plain objects of its own
 * realm (`constructor === Object`); this test's objects are of Jest's realm, so they are rebuilt in Node's.
 */
function inNodeRealm<T>(value: T): T {
  const realm = process.getBuiltinModule('node:vm').runInThisContext('({ object: () => ({}), array: () => [] })') as { object(): Record<string, unknown>; array(): unknown[] };
  const rebuild = (v: unknown): unknown => {
    if (Array.isArray(v)) return Object.assign(realm.array(), v.map(rebuild));
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.assign(realm.object(), Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rebuild(x)])));
    return v;
  };
  return rebuild(value) as T;
}

/**
 * A real OpenID Provider (panva's oidc-provider, OpenID Certified) on a port of this machine, the way an
 * agency's provider is set up for the console: clients (confidential or public) whose redirect URI is a
 * console's callback, PKCE required (S256 only), JWT access tokens (RS256) for the services' API through
 * resource indicators, carrying each account's vaops claims, RP-initiated logout, and the provider's
 * built-in development login and consent pages.
 */
export class TestProvider {
  private server!: Server;
  private readonly accounts = new Map<string, TestAccount>();
  issuer = '';

  constructor(private readonly options: TestProviderOptions) {}

  /** Someone who may sign in from now on. */
  addAccount(account: TestAccount): void {
    this.accounts.set(account.login, account);
  }

  get jwksUrl(): string {
    return `${this.issuer}/jwks`;
  }

  async start(): Promise<void> {
    // listening on every address, named `localhost`: another host than the console's 127.0.0.1, so the
    // browser keeps the two sites' cookies apart and the way back to the console is a cross-site redirect
    this.server = createServer();
    await new Promise<void>((resolve) => this.server.listen(0, resolve));
    this.issuer = `http://localhost:${(this.server.address() as AddressInfo).port}`;
    const { default: Provider, errors } = loadOidcProvider();
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const accounts = this.accounts;
    // the provider's account store: the dev login's accountId is the login; its claims, the account's
    const findAccount = (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      return account ? { accountId: id, claims: () => inNodeRealm({ ...account.claims, sub: id }) } : undefined;
    };
    const { clients, api } = this.options;
    const provider = new Provider(this.issuer, inNodeRealm({
      clients: clients.map(({ consoleUrl, clientId, clientSecret }) => ({
        client_id: clientId,
        ...(clientSecret ? { client_secret: clientSecret, token_endpoint_auth_method: 'client_secret_basic' } : { token_endpoint_auth_method: 'none' }),
        redirect_uris: [`${consoleUrl}/signin/callback`],
        post_logout_redirect_uris: [`${consoleUrl}/signedout`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      })),
      jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'test-rs256', alg: 'RS256', use: 'sig' }] },
      cookies: { keys: ['test-provider-cookie-key'], long: { httpOnly: true, sameSite: 'lax' }, short: { httpOnly: true, sameSite: 'lax' } },
      pkce: { methods: ['S256'], required: () => true },
      // ten-minute access tokens (the console's session lasts as long as the token it forwards)
      ttl: { AccessToken: 600, IdToken: 600, Interaction: 600, Grant: 3_600, Session: 3_600 },
      // the scope vaops_claims puts the vaops claims into the ID token too (for a console that forwards it)
      claims: { openid: ['sub'], vaops_claims: ['vaops_agency', 'vaops_role', 'vaops_client', 'vaops_assistant'] },
      conformIdTokenClaims: false,
      findAccount,
      // the access token carries the account's vaops claims, whatever the scope
      extraTokenClaims: (ctx: unknown, token: IssuedToken) => {
        if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
        const { sub: _sub, ...claims } = findAccount(ctx, token.accountId)?.claims() ?? {};
        return inNodeRealm(claims);
      },
      features: {
        devInteractions: { enabled: true },
        rpInitiatedLogout: { enabled: true },
        resourceIndicators: {
          enabled: true,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx: unknown, resource: string) => {
            if (resource !== api) throw new errors.InvalidTarget();
            return inNodeRealm({ scope: 'vaops', audience: api, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } });
          },
        },
      },
    }));
    // the provider's own failures (a refused client, a bad request) would otherwise go unseen
    provider.on('server_error', (_ctx, err) => process.stderr.write(`test provider: ${String(err)}\n`));
    this.server.on('request', provider.callback());
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
