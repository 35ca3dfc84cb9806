import { loadConfig, type OidcConfig } from '@vaops/platform';

/** Which of the provider's tokens the console forwards to the services as its Bearer token. */
export const FORWARDED_TOKENS = ['access_token', 'id_token'] as const;
export type ForwardedToken = (typeof FORWARDED_TOKENS)[number];

/**
 * Sign-in with the agency's identity provider (OpenID Connect, authorization code with PKCE), on when
 * VAOPS_OIDC_CLIENT_ID is set:
 * - the provider and the rules the forwarded token must pass, the services' own variables with the same
 *   values: VAOPS_OIDC_ISSUER (its discovery document is read from there), VAOPS_OIDC_JWKS_URL,
 *   VAOPS_OIDC_AUDIENCE, and the claim names and role map (VAOPS_OIDC_AGENCY_CLAIM, ..._ROLE_CLAIM,
 *   ..._CLIENT_CLAIM, ..._ASSISTANT_CLAIM, VAOPS_OIDC_ROLE_MAP);
 * - VAOPS_OIDC_CLIENT_ID, VAOPS_OIDC_CLIENT_SECRET (unset: a public client, PKCE alone);
 * - VAOPS_CONSOLE_URL, the console's public base URL: the provider sends the browser back to
 *   `<it>/signin/callback`, and after a sign-out to `<it>/signedout`;
 * - VAOPS_OIDC_SCOPES (default `openid profile`), VAOPS_OIDC_RESOURCE (an RFC 8707 resource indicator
 *   sent with the authorization and token requests, for providers that issue a JWT access token per API);
 * - VAOPS_OIDC_FORWARD_TOKEN: `access_token` (default; a JWT for the services' audience) or `id_token`
 *   (for providers whose access tokens are opaque; the services' audience is then the client id).
 */
export interface ConsoleOidcConfig {
  /** The services' rules for the forwarded token (issuer, audience, key set, claims). */
  verify: OidcConfig;
  /** VAOPS_OIDC_ISSUER as it is: the tokens' `iss`, and where discovery starts. */
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  redirectUri: string;
  postLogoutRedirectUri: string;
  scopes: string;
  resource: string | null;
  forward: ForwardedToken;
  /** Plain http to the provider: outside production only (a provider on this machine, in tests). */
  allowHttp: boolean;
}

/** The console's own OIDC variables: set without a client id, they are a mistake worth a refusal to start. */
const CONSOLE_OIDC_VARIABLES = ['VAOPS_OIDC_CLIENT_SECRET', 'VAOPS_OIDC_SCOPES', 'VAOPS_OIDC_RESOURCE', 'VAOPS_OIDC_FORWARD_TOKEN'];

const read = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

function httpUrl(name: string, raw: string, https: boolean): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`${name} must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
  if (https && parsed.protocol !== 'https:') throw new Error(`${name} must be an https URL in production, got ${JSON.stringify(raw)}`);
  if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error(`${name} must be an http(s) URL, got ${JSON.stringify(raw)}`);
  return parsed;
}

/** The console's OpenID Connect settings, or null when VAOPS_OIDC_CLIENT_ID is not set. */
export function loadOidcConfig(env: NodeJS.ProcessEnv, production: boolean): ConsoleOidcConfig | null {
  const clientId = read(env, 'VAOPS_OIDC_CLIENT_ID');
  if (!clientId) {
    const stray = CONSOLE_OIDC_VARIABLES.find((name) => read(env, name) !== undefined);
    if (stray) throw new Error(`${stray} is set but VAOPS_OIDC_CLIENT_ID is not: set it to turn on sign-in with the identity provider`);
    return null;
  }
  // the services' own parser: the same three required values, the same claim names and role map
  const shared = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('VAOPS_OIDC_')));
  const verify = loadConfig(shared, { serviceName: 'console', port: 0 }).oidc;
  if (!verify) throw new Error('VAOPS_OIDC_CLIENT_ID needs the services\' provider settings too: VAOPS_OIDC_ISSUER, VAOPS_OIDC_JWKS_URL and VAOPS_OIDC_AUDIENCE');
  const issuer = httpUrl('VAOPS_OIDC_ISSUER', verify.issuer, production);
  const consoleUrl = read(env, 'VAOPS_CONSOLE_URL');
  if (!consoleUrl) throw new Error('VAOPS_CONSOLE_URL (the console\'s public base URL, for the redirect URI) is required with VAOPS_OIDC_CLIENT_ID');
  const base = httpUrl('VAOPS_CONSOLE_URL', consoleUrl, false).href.replace(/\/$/, '');
  const scopes = (read(env, 'VAOPS_OIDC_SCOPES') ?? 'openid profile').split(/[\s,]+/).filter(Boolean);
  if (!scopes.includes('openid')) throw new Error(`VAOPS_OIDC_SCOPES must include openid, got ${JSON.stringify(scopes.join(' '))}`);
  const resource = read(env, 'VAOPS_OIDC_RESOURCE') ?? null;
  if (resource !== null) httpUrl('VAOPS_OIDC_RESOURCE', resource, false);
  const forward = read(env, 'VAOPS_OIDC_FORWARD_TOKEN') ?? 'access_token';
  if (!(FORWARDED_TOKENS as readonly string[]).includes(forward)) throw new Error(`VAOPS_OIDC_FORWARD_TOKEN must be one of ${FORWARDED_TOKENS.join(', ')}, got ${JSON.stringify(forward)}`);
  return {
    verify,
    issuer: verify.issuer,
    clientId,
    clientSecret: read(env, 'VAOPS_OIDC_CLIENT_SECRET') ?? null,
    redirectUri: `${base}/signin/callback`,
    postLogoutRedirectUri: `${base}/signedout`,
    scopes: scopes.join(' '),
    resource,
    forward: forward as ForwardedToken,
    allowHttp: !production && issuer.protocol === 'http:',
  };
}
