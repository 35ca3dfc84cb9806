import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { TokenClaims } from '../auth/principal';
import { ThingsModule } from '../test-support/things.controller';
import { bearer, createTestApp, testConfig } from '../test-support/test-app';

const adminOf = (agencyId: string, sub: string): TokenClaims => ({ sub, agencyId, role: 'agency-admin' });
const valid = { name: 'Ada', payRate: { amountMinor: 2500, currency: 'USD' } };

describe('rate limits (429 RATE.LIMITED with Retry-After)', () => {
  describe('with small limits: 5 requests and 2 writes per principal, 8 per agency, per 10 s', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createTestApp(testConfig({ VAOPS_RATE_LIMIT_PRINCIPAL: '5', VAOPS_RATE_LIMIT_WRITES: '2', VAOPS_RATE_LIMIT_AGENCY: '8' }), [ThingsModule]);
    });
    afterAll(() => app.close());
    const get = (who: TokenClaims, url = '/things/me') => request(app.getHttpServer()).get(url).set('Authorization', bearer(who));
    const post = (who: TokenClaims) => request(app.getHttpServer()).post('/things').set('Authorization', bearer(who)).send(valid);

    it('refuses a principal its 6th request, with a problem and Retry-After', async () => {
      const who = adminOf('agency-r1', 'u1');
      for (let i = 0; i < 5; i++) await get(who).expect(200);
      const res = await get(who);
      expect(res.status).toBe(429);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.body).toMatchObject({ status: 429, code: 'RATE.LIMITED', title: 'Too Many Requests' });
      expect(res.body.detail).toContain('5 requests per 10 s per principal');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(10);
      // another principal of another agency is not slowed
      await get(adminOf('agency-r1b', 'u1')).expect(200);
    });

    it('limits writes more strictly than reads', async () => {
      const who = adminOf('agency-r2', 'u2');
      await post(who).expect(201);
      await post(who).expect(201);
      const third = await post(who);
      expect(third.status).toBe(429);
      expect(third.body.detail).toContain('2 writes per 10 s per principal');
      await get(who).expect(200); // reads still go through (4 of 5 used)
    });

    it('limits an agency across its principals', async () => {
      const answers: number[] = [];
      for (let i = 0; i < 9; i++) answers.push((await get(adminOf('agency-r3', `u${i % 3}`))).status);
      expect(answers.slice(0, 8)).toEqual(Array(8).fill(200));
      expect(answers[8]).toBe(429);
      await get(adminOf('agency-r4', 'u0')).expect(200);
    });

    it('does not count health, metrics, public routes or unauthenticated calls', async () => {
      for (let i = 0; i < 20; i++) {
        await request(app.getHttpServer()).get('/health/live').expect(200);
        await request(app.getHttpServer()).get('/metrics').expect(200);
        await request(app.getHttpServer()).get('/things/public').expect(200);
        await request(app.getHttpServer()).get('/things/me').expect(401);
      }
      await get(adminOf('agency-r5', 'u5')).expect(200);
    });
  });

  it('by default, of 400 parallel reads from one token, 300 are served and the rest refused', async () => {
    const app = await createTestApp(testConfig(), [ThingsModule]);
    try {
      const server = app.getHttpServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const auth = bearer(adminOf('agency-d', 'u'));
      const statuses = await Promise.all(Array.from({ length: 400 }, () => request(server).get('/things/me').set('Authorization', auth).then((r) => r.status)));
      expect(statuses.filter((s) => s === 200)).toHaveLength(300);
      expect(statuses.filter((s) => s === 429)).toHaveLength(100);
    } finally {
      await app.close();
    }
  });
});
