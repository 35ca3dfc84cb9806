import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { setupSwagger } from '../bootstrap';
import { PlatformModule } from '../platform.module';
import { ThingsModule } from '../test-support/things.controller';
import { admin, bearer, testConfig } from '../test-support/test-app';
import { configureHttp } from './http-setup';

describe('security headers (helmet) on every answer', () => {
  let app: INestApplication;
  const auth = bearer(admin);

  beforeAll(async () => {
    // as bootstrapService builds a service: the HTTP layer, then the Swagger UI, then the routes
    const config = testConfig();
    const moduleRef = await Test.createTestingModule({ imports: [PlatformModule.forRoot({ config }), ThingsModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false, bodyParser: false });
    configureHttp(app, config);
    setupSwagger(app, config);
    await app.init();
  });
  afterAll(() => app.close());

  const expectHelmet = (res: request.Response) => {
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  };

  it('on a successful read', async () => {
    const res = await request(app.getHttpServer()).get('/things/42').set('Authorization', auth).expect(200);
    expectHelmet(res);
  });

  it('on an error, a refused body and an unauthenticated call', async () => {
    expectHelmet(await request(app.getHttpServer()).get('/nowhere').set('Authorization', auth).expect(404));
    expectHelmet(await request(app.getHttpServer()).post('/things').set('Authorization', auth).set('Content-Type', 'text/plain').send('x').expect(415));
    expectHelmet(await request(app.getHttpServer()).get('/things/42').expect(401));
  });

  it('keeps the Swagger UI working under the policy: its scripts come from the service itself', async () => {
    const page = await request(app.getHttpServer()).get('/docs/').expect(200);
    expectHelmet(page);
    const scripts = [...page.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src).not.toMatch(/^(https?:)?\/\//); // same origin, allowed by script-src 'self'
      await request(app.getHttpServer()).get(new URL(src, 'http://x/docs/').pathname).expect(200);
    }
    expect(page.text).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script, which the policy would block
  });
});
