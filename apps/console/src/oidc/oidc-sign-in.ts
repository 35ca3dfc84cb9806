import { decodeJwt } from 'jose';
import { IdentityProviderUnavailableError, IdentityProviderVerifier, UnauthorizedError, type Principal } from '@vaops/platform';
import type * as OpenId from 'openid-client';
import type { ConsoleConfig } from '../config';
import { isProviderToken } from '../session';
import type { ConsoleOidcConfig } from './oidc-config';
import { FLOW_SECONDS, FlowSealer, flowCookie, type SignInFlow } from './flow-cookie';

/** A sign-in that did not end in a session: the status and what to tell the person (never a 500). */
export class SignInFailed extends Error {
  constructor(
    readonly status: 400 | 403 | 502 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'SignInFailed';
  }
}

/** What a finished sign-in leaves: the token the console forwards, who it is, and for how long. */
export interface SignedIn {
  token: string;
  principal: Principal;
  /** Epoch milliseconds: the forwarded token's expiry, which ends the session. */
  expiresAt: number;
  /** For the provider's sign-out (id_token_hint). */
  idToken: string;
}

const PROVIDER_TIMEOUT_SECONDS = 10;

/** openid-client, and the provider's metadata with the console's client there. */
interface Provider {
  client: typeof OpenId;
  configuration: OpenId.Configuration;
}

/** openid-client is an ES module: loaded (through require) only when a console signs in with a provider. */
const openIdClient = (): Promise<typeof OpenId> => import('openid-client');

/** An error with what it wraps: openid-client says "invalid response encountered", its cause which part. */
const explain = (err: unknown): string => {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error && err.cause.message !== err.message ? `${err.message} (${err.cause.message})` : err.message;
};

/** A failure to reach the provider (refused, DNS, timeout), as opposed to an answer that does not check out. */
const unreachable = (err: unknown): boolean => {
  const e = err as { name?: string; message?: string; cause?: unknown } | null;
  if (!e) return false;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
  if (e.name === 'TypeError' && /fetch failed/.test(e.message ?? '')) return true;
  return e.cause !== undefined && e.cause !== e && unreachable(e.cause);
};

/**
 * Sign-in with the agency's identity provider: the OpenID Connect authorization code flow with PKCE
 * (S256), state and nonce, done by openid-client (discovery, the authorization URL, the callback's
 * checks, the code exchange and the ID token's validation). The token the console then forwards to
 * the services is checked with the services' own rules (IdentityProviderVerifier) before it becomes a
 * session, and again on every request (ProviderSessionMiddleware).
 */
export class OidcSignIn {
  private readonly oidc: ConsoleOidcConfig | null;
  private readonly sealer: FlowSealer;
  private readonly verifier: IdentityProviderVerifier | null;
  private discovered: Promise<Provider> | null = null;

  constructor(private readonly config: ConsoleConfig) {
    this.oidc = config.oidc;
    this.sealer = new FlowSealer(config.jwtSecret);
    this.verifier = this.oidc ? new IdentityProviderVerifier(this.oidc.verify) : null;
  }

  get enabled(): boolean {
    return this.oidc !== null;
  }

  /** Where to send the browser, and the cookie that remembers this sign-in's state, nonce and code_verifier. */
  async start(now = Date.now()): Promise<{ location: string; cookie: string }> {
    const oidc = this.settings();
    const { client, configuration } = await this.provider();
    const flow: SignInFlow = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier(), expiresAt: now + FLOW_SECONDS * 1000 };
    const params: Record<string, string> = {
      redirect_uri: oidc.redirectUri,
      scope: oidc.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
      ...(oidc.resource ? { resource: oidc.resource } : {}),
    };
    return { location: client.buildAuthorizationUrl(configuration, params).href, cookie: flowCookie(this.sealer.seal(flow), this.config.secureCookies) };
  }

  /** The cookie that ends the sign-in's flow (every callback sends it, whatever the outcome). */
  get endFlowCookie(): string {
    return flowCookie(null, this.config.secureCookies);
  }

  /**
   * The provider's answer at /signin/callback (its query string), checked against the flow the cookie
   * holds: state, then the code exchanged with the PKCE code_verifier, the ID token's signature, issuer,
   * audience and nonce; then the forwarded token under the services' rules.
   */
  async finish(query: string, sealedFlow: string | undefined, now = Date.now()): Promise<SignedIn> {
    const oidc = this.settings();
    const params = new URLSearchParams(query);
    const flow = this.sealer.open(sealedFlow, now);
    if (!flow) {
      const refused = params.get('error');
      if (refused) throw new SignInFailed(400, this.refusal(refused, params.get('error_description')));
      throw new SignInFailed(400, `This sign-in was not started in this browser, or it took longer than ${FLOW_SECONDS / 60} minutes. Sign in again.`);
    }
    const { client, configuration } = await this.provider();
    const callback = new URL(oidc.redirectUri);
    callback.search = params.toString();
    let tokens: OpenId.TokenEndpointResponse;
    try {
      tokens = await client.authorizationCodeGrant(
        configuration,
        callback,
        { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true },
        oidc.resource ? { resource: oidc.resource } : undefined,
      );
    } catch (err) {
      throw this.callbackFailure(client, err);
    }
    const idToken = tokens.id_token;
    if (!idToken) throw new SignInFailed(400, 'The identity provider answered without an ID token.');
    const token = oidc.forward === 'id_token' ? idToken : tokens.access_token;
    if (!isProviderToken(token)) {
      throw new SignInFailed(502, `The identity provider's ${oidc.forward === 'id_token' ? 'ID token' : 'access token'} is not a JWT signed with RS256 or ES256, so the services cannot check it: set VAOPS_OIDC_RESOURCE to the services' API at the provider, or VAOPS_OIDC_FORWARD_TOKEN=id_token.`);
    }
    let principal: Principal;
    let expiresAt: number;
    try {
      ({ principal, expiresAt } = await this.verifySession(token));
    } catch (err) {
      if (err instanceof UnauthorizedError) {
        const sub = decodeJwt(token).sub ?? '(no subject)';
        throw new SignInFailed(403, `You signed in at the identity provider as ${sub}, but vaops does not accept its token: ${err.message}. Ask the agency to give your account a vaops role.`);
      }
      if (err instanceof IdentityProviderUnavailableError) throw new SignInFailed(503, err.message);
      throw err;
    }
    return { token, principal, expiresAt, idToken };
  }

  /** The session token checked as the services check it; its principal and expiry. */
  async verifySession(token: string): Promise<{ principal: Principal; expiresAt: number }> {
    if (!this.verifier) throw new UnauthorizedError('sign-in with an identity provider is not configured');
    const principal = await this.verifier.verify(token);
    const exp = decodeJwt(token).exp;
    return { principal, expiresAt: (exp ?? 0) * 1000 };
  }

  /** The provider's end_session_endpoint for this session, or null when it has none (or cannot be read). */
  async endSessionUrl(idToken: string | undefined): Promise<string | null> {
    const oidc = this.settings();
    let client: typeof OpenId;
    let configuration: OpenId.Configuration;
    try {
      ({ client, configuration } = await this.provider());
    } catch {
      return null; // the provider is down: the console's own session is gone all the same
    }
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    const params: Record<string, string> = { client_id: oidc.clientId, post_logout_redirect_uri: oidc.postLogoutRedirectUri, ...(idToken ? { id_token_hint: idToken } : {}) };
    return client.buildEndSessionUrl(configuration, params).href;
  }

  private settings(): ConsoleOidcConfig {
    if (!this.oidc) throw new SignInFailed(400, 'Sign-in with an identity provider is not configured.');
    return this.oidc;
  }

  /**
   * The provider's metadata, read once (again after a failure, so a provider that was down is retried).
   * A confidential client authenticates with client_secret_basic (the registration default) unless the
   * provider lists only client_secret_post; a public one (no secret) with PKCE alone.
   */
  private provider(): Promise<Provider> {
    const oidc = this.settings();
    this.discovered ??= (async () => {
      let client: typeof OpenId;
      try {
        client = await openIdClient();
      } catch (err) {
        this.discovered = null;
        throw new SignInFailed(503, `The console cannot load its OpenID Connect client (openid-client needs Node.js 20.19 or later): ${explain(err)}.`);
      }
      const insecure = oidc.allowHttp ? [client.allowInsecureRequests] : [];
      try {
        const found = await client.discovery(new URL(oidc.issuer), oidc.clientId, undefined, client.None(), { timeout: PROVIDER_TIMEOUT_SECONDS, execute: insecure });
        if (!oidc.clientSecret) return { client, configuration: found };
        const server = found.serverMetadata();
        const methods = server.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
        const auth = methods.includes('client_secret_basic') || !methods.includes('client_secret_post') ? client.ClientSecretBasic(oidc.clientSecret) : client.ClientSecretPost(oidc.clientSecret);
        const configuration = new client.Configuration(server, oidc.clientId, oidc.clientSecret, auth);
        configuration.timeout = PROVIDER_TIMEOUT_SECONDS;
        for (const apply of insecure) apply(configuration);
        return { client, configuration };
      } catch (err) {
        this.discovered = null;
        throw new SignInFailed(502, `The identity provider at ${oidc.issuer} could not be read (${explain(err)}).`);
      }
    })();
    return this.discovered;
  }

  private refusal(error: string, description: string | null): string {
    return `The identity provider did not sign you in: ${error}${description ? ` (${description})` : ''}.`;
  }

  private callbackFailure(client: typeof OpenId, err: unknown): SignInFailed {
    if (err instanceof client.AuthorizationResponseError) return new SignInFailed(400, this.refusal(err.error, err.error_description ?? null));
    if (err instanceof client.ResponseBodyError) return new SignInFailed(400, `The identity provider refused to exchange the code: ${err.error}${err.error_description ? ` (${err.error_description})` : ''}. Sign in again.`);
    if (unreachable(err)) return new SignInFailed(502, `The identity provider did not answer (${explain(err)}).`);
    // state, nonce, issuer, the ID token's signature or audience did not check out
    return new SignInFailed(400, `The identity provider's answer did not check out: ${explain(err)}. Sign in again.`);
  }
}
