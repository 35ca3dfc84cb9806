import { loadConsoleConfig } from '../config';
import { loadOidcConfig } from './oidc-config';

const provider = {
  VAOPS_OIDC_ISSUER: 'https://agency.okta.com/oauth2/default',
  VAOPS_OIDC_JWKS_URL: 'https://agency.okta.com/oauth2/default/v1/keys',
  VAOPS_OIDC_AUDIENCE: 'api://vaops',
  VAOPS_OIDC_CLIENT_ID: 'console',
  VAOPS_CONSOLE_URL: 'https://console.agency.example/',
};

describe("the console's identity-provider settings", () => {
  it('are off without VAOPS_OIDC_CLIENT_ID, also when the services\' provider settings are there', () => {
    expect(loadOidcConfig({}, false)).toBeNull();
    expect(loadOidcConfig({ ...provider, VAOPS_OIDC_CLIENT_ID: '' }, true)).toBeNull();
  });

  it('take the services\' provider, audience and claim names, and derive the redirect URIs from the public URL', () => {
    const oidc = loadOidcConfig({ ...provider, VAOPS_OIDC_ROLE_CLAIM: 'groups', VAOPS_OIDC_ROLE_MAP: 'ops=agency-admin', VAOPS_OIDC_CLIENT_SECRET: 's3cret' }, true);
    expect(oidc).toMatchObject({
      issuer: 'https://agency.okta.com/oauth2/default',
      clientId: 'console',
      clientSecret: 's3cret',
      redirectUri: 'https://console.agency.example/signin/callback',
      postLogoutRedirectUri: 'https://console.agency.example/signedout',
      scopes: 'openid profile',
      resource: null,
      forward: 'access_token',
      allowHttp: false,
      verify: { issuer: 'https://agency.okta.com/oauth2/default', audience: 'api://vaops', jwksUrl: 'https://agency.okta.com/oauth2/default/v1/keys', claims: { agency: 'vaops_agency', role: 'groups' }, roles: { ops: 'agency-admin' } },
    });
  });

  it('read scopes, the resource indicator and which token to forward; a public client has no secret', () => {
    const oidc = loadOidcConfig({ ...provider, VAOPS_OIDC_SCOPES: 'openid, email vaops', VAOPS_OIDC_RESOURCE: 'https://api.vaops.example', VAOPS_OIDC_FORWARD_TOKEN: 'id_token' }, false);
    expect(oidc).toMatchObject({ scopes: 'openid email vaops', resource: 'https://api.vaops.example', forward: 'id_token', clientSecret: null });
  });

  it('allow a plain-http provider outside production only', () => {
    const local = { ...provider, VAOPS_OIDC_ISSUER: 'http://localhost:9000', VAOPS_OIDC_JWKS_URL: 'http://localhost:9000/jwks' };
    expect(loadOidcConfig(local, false)?.allowHttp).toBe(true);
    expect(() => loadOidcConfig(local, true)).toThrow('VAOPS_OIDC_ISSUER must be an https URL in production');
  });

  it.each([
    [{ VAOPS_OIDC_ISSUER: undefined }, /^VAOPS_OIDC_ISSUER: is required when any VAOPS_OIDC_ variable is set$/],
    [{ VAOPS_OIDC_AUDIENCE: undefined }, /^VAOPS_OIDC_AUDIENCE: is required/],
    [{ VAOPS_CONSOLE_URL: undefined }, /^VAOPS_CONSOLE_URL .* is required with VAOPS_OIDC_CLIENT_ID$/],
    [{ VAOPS_CONSOLE_URL: 'console.example' }, /^VAOPS_CONSOLE_URL must be an http\(s\) URL/],
    [{ VAOPS_OIDC_SCOPES: 'profile email' }, /^VAOPS_OIDC_SCOPES must include openid/],
    [{ VAOPS_OIDC_FORWARD_TOKEN: 'refresh_token' }, /^VAOPS_OIDC_FORWARD_TOKEN must be one of access_token, id_token/],
    [{ VAOPS_OIDC_ROLE_MAP: 'ops=boss' }, /^VAOPS_OIDC_ROLE_MAP: "ops=boss" must be/],
    [{ VAOPS_OIDC_CLIENT_ID: undefined, VAOPS_OIDC_CLIENT_SECRET: 'x' }, /^VAOPS_OIDC_CLIENT_SECRET is set but VAOPS_OIDC_CLIENT_ID is not/],
  ])('refuse a half configuration: %j', (change, message) => {
    const env: NodeJS.ProcessEnv = { ...provider, ...change };
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete env[k];
    expect(() => loadOidcConfig(env, false)).toThrow(message);
  });

  it('are part of the console\'s configuration', () => {
    expect(loadConsoleConfig({ ...provider }).oidc?.clientId).toBe('console');
    expect(loadConsoleConfig({}).oidc).toBeNull();
  });
});
