import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';
import request from 'supertest';
import { ThingsModule } from '../test-support/things.controller';
import { admin, bearer, createTestApp, testConfig } from '../test-support/test-app';

/** A local identity provider: serves its key set at /jwks, which the test rotates. */
class LocalProvider {
  private published: JWK[] = [];
  readonly keys = new Map<string, { privateKey: KeyLike; alg: string }>();
  private server!: Server;
  fetches = 0;
  up = true;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.fetches++;
      if (!this.up) return void res.writeHead(503).end();
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: this.published }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks`;
  }

  async addKey(kid: string, alg: 'RS256' | 'ES256'): Promise<void> {
    const { publicKey, privateKey } = await generateKeyPair(alg);
    this.keys.set(kid, { privateKey, alg });
    this.published.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
  }

  retire(kid: string): void {
    this.published = this.published.filter((k) => k.kid !== kid);
  }

  sign(kid: string, claims: Record<string, unknown>, o: { iss?: string; aud?: string; exp?: number | string } = {}): Promise<string> {
    const { privateKey, alg } = this.keys.get(kid)!;
    return new SignJWT(claims)
      .setProtectedHeader({ alg, kid })
      .setIssuer(o.iss ?? 'https://idp.example.test/')
      .setAudience(o.aud ?? 'vaops')
      .setIssuedAt()
      .setExpirationTime(o.exp ?? '5m')
      .sign(privateKey);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe("sign-in with the agency's identity provider (RS256/ES256 against a JWKS URL)", () => {
  const idp = new LocalProvider();
  let app: INestApplication;
  const me = (token: string) => request(app.getHttpServer()).get('/things/me').set('Authorization', `Bearer ${token}`);
  const staff = { sub: 'okta|ada', vaops_agency: 'agency-1', groups: ['Everyone', 'vaops-ops'] };

  beforeAll(async () => {
    const jwksUrl = await idp.start();
    await idp.addKey('k1', 'RS256');
    await idp.addKey('e1', 'ES256');
    app = await createTestApp(
      testConfig({
        VAOPS_OIDC_JWKS_URL: jwksUrl,
        VAOPS_OIDC_ISSUER: 'https://idp.example.test/',
        VAOPS_OIDC_AUDIENCE: 'vaops',
        VAOPS_OIDC_ROLE_CLAIM: 'groups',
        VAOPS_OIDC_ROLE_MAP: 'vaops-ops=agency-admin,vaops-clients=client,vaops-assistants=assistant',
        VAOPS_OIDC_CLIENT_CLAIM: 'https://vaops.example/client',
        VAOPS_OIDC_JWKS_COOLDOWN_MS: '0',
      }),
      [ThingsModule],
    );
  });
  afterAll(async () => {
    await app.close();
    await idp.stop();
  });

  it('accepts an RS256 token and maps its claims to a principal', async () => {
    const res = await me(await idp.sign('k1', staff)).expect(200);
    expect(res.body).toEqual({ sub: 'okta|ada', agencyId: 'agency-1', role: 'agency-admin' });
  });

  it('accepts an ES256 token, and a client with its id in a namespaced claim', async () => {
    const res = await me(await idp.sign('e1', { sub: 'auth0|c', vaops_agency: 'agency-1', groups: 'vaops-clients', 'https://vaops.example/client': 'c-9' })).expect(200);
    expect(res.body).toEqual({ sub: 'auth0|c', agencyId: 'agency-1', role: 'client', clientId: 'c-9' });
  });

  it('takes a rotated key without a restart, and refuses the retired one', async () => {
    const old = await idp.sign('k1', staff);
    await me(old).expect(200);
    await idp.addKey('k2', 'RS256');
    idp.retire('k1');
    // a token signed by the new key names a kid the service has not seen: it reads the key set again
    await me(await idp.sign('k2', staff)).expect(200);
    const refused = await me(await idp.sign('k1', staff));
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'AUTH.UNAUTHORIZED', detail: 'token is signed by a key the identity provider does not publish' });
  });

  it.each([
    ['a wrong issuer', { iss: 'https://evil.example.test/' }, /^token iss is not accepted/],
    ['a wrong audience', { aud: 'someone-else' }, /^token aud is not accepted/],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 120 }, /^token has expired$/],
  ])('refuses %s with 401', async (_what, o, detail) => {
    const res = await me(await idp.sign('e1', staff, o));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH.UNAUTHORIZED');
    expect(res.body.detail).toMatch(detail);
  });

  it('refuses claims it cannot map: no agency, an unknown group, a client without its id', async () => {
    expect((await me(await idp.sign('e1', { sub: 'x', groups: ['vaops-ops'] }))).body.detail).toBe('token has no agencyId');
    expect((await me(await idp.sign('e1', { sub: 'x', vaops_agency: 'agency-1', groups: ['Everyone'] }))).body.detail).toMatch(/^token role must be one of/);
    expect((await me(await idp.sign('e1', { sub: 'x', vaops_agency: 'agency-1', groups: 'vaops-clients' }))).body.detail).toBe('a client token needs clientId');
  });

  it('refuses a token signed by a key it never published and an unsigned one', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(staff).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('https://idp.example.test/').setAudience('vaops').setExpirationTime('5m').sign(privateKey);
    expect((await me(forged)).status).toBe(401);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...staff, agencyId: 'agency-1', role: 'agency-admin', exp: 9e9 })).toString('base64url')}.`;
    expect((await me(none)).status).toBe(401);
  });

  it('still accepts the dev HS256 tokens beside the provider', async () => {
    await request(app.getHttpServer()).get('/things/me').set('Authorization', bearer(admin)).expect(200);
  });

  it('answers 503 when the provider cannot serve its keys (not the caller’s fault)', async () => {
    await idp.addKey('k3', 'RS256');
    idp.up = false;
    try {
      const res = await me(await idp.sign('k3', staff));
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('AUTH.PROVIDER_UNAVAILABLE');
    } finally {
      idp.up = true;
    }
    await me(await idp.sign('k3', staff)).expect(200);
  });
});
