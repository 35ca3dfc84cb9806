import type { INestApplication } from '@nestjs/common';
import { ManualClock, systemClock } from '@vaops/event-sourcing';
import request from 'supertest';
import { ThingsModule } from '../test-support/things.controller';
import { admin, bearer, client, createTestApp, testConfig } from '../test-support/test-app';
import { CLOCK } from '../tokens';

describe('test clock', () => {
  describe('without VAOPS_TEST_CLOCK', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createTestApp(testConfig(), [ThingsModule]);
    });
    afterAll(() => app.close());

    it('has no PUT /_test/clock route', async () => {
      const res = await request(app.getHttpServer())
        .put('/_test/clock')
        .set('Authorization', bearer(admin))
        .send({ now: '2030-01-01T00:00:00Z' });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('HTTP.NOT_FOUND');
    });

    it('reads the system clock', () => {
      expect(app.get(CLOCK)).toBe(systemClock);
    });
  });

  describe('with VAOPS_TEST_CLOCK=1', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createTestApp(testConfig({ VAOPS_TEST_CLOCK: '1' }), [ThingsModule]);
    });
    afterAll(() => app.close());

    const setClock = (body: object, who = admin) =>
      request(app.getHttpServer()).put('/_test/clock').set('Authorization', bearer(who)).send(body);

    it('provides a ManualClock', () => {
      expect(app.get(CLOCK)).toBeInstanceOf(ManualClock);
    });

    it('sets the time every handler reads', async () => {
      await setClock({ now: '2030-02-03T04:05:06Z' }).expect(200, { now: '2030-02-03T04:05:06.000Z' });
      await request(app.getHttpServer())
        .get('/things/now')
        .set('Authorization', bearer(client))
        .expect(200, { now: '2030-02-03T04:05:06.000Z' });
    });

    it.each(['tomorrow', '2030-02-30T00:00:00Z', '2030-13-01T00:00:00Z', ''])('answers 400 to now=%p', async (now) => {
      const res = await setClock({ now });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION.FAILED', errors: [{ field: 'now' }] });
    });

    it('is for agency admins only', async () => {
      const res = await setClock({ now: '2030-01-01T00:00:00Z' }, client);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('AUTH.FORBIDDEN');
    });

    it('needs a token', async () => {
      await request(app.getHttpServer()).put('/_test/clock').send({ now: '2030-01-01T00:00:00Z' }).expect(401);
    });
  });
});
