import type { INestApplication } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { ThingsModule } from '../test-support/things.controller';
import { TEST_SECRET, admin, assistant, bearer, client, createTestApp, testConfig } from '../test-support/test-app';

describe('authentication and roles', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp(testConfig(), [ThingsModule]);
  });
  afterAll(() => app.close());

  const expectUnauthorized = (res: request.Response) => {
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'AUTH.UNAUTHORIZED', title: 'Unauthorized' });
  };

  describe('without a valid token', () => {
    it('answers 401 AUTH.UNAUTHORIZED when the header is missing', async () => {
      const res = await request(app.getHttpServer()).get('/things/me');
      expectUnauthorized(res);
      expect(res.body.detail).toMatch(/missing/);
    });

    it('answers 401 to a token signed with another secret', async () => {
      expectUnauthorized(
        await request(app.getHttpServer()).get('/things/me').set('Authorization', bearer(admin, 'not-the-secret')),
      );
    });

    it('answers 401 to an expired token', async () => {
      const token = jwt.sign({ ...admin, exp: Math.floor(Date.now() / 1000) - 1 }, TEST_SECRET);
      const res = await request(app.getHttpServer()).get('/things/me').set('Authorization', `Bearer ${token}`);
      expectUnauthorized(res);
      expect(res.body.detail).toBe('token has expired');
    });

    it('answers 401 to a client token without clientId', async () => {
      const token = jwt.sign({ sub: 's', agencyId: 'a', role: 'client' }, TEST_SECRET, { expiresIn: 60 });
      const res = await request(app.getHttpServer()).get('/things/me').set('Authorization', `Bearer ${token}`);
      expectUnauthorized(res);
      expect(res.body.detail).toBe('a client token needs clientId');
    });

    it('answers 401 to a non-bearer scheme', async () => {
      expectUnauthorized(await request(app.getHttpServer()).get('/things/me').set('Authorization', 'Basic YTpi'));
    });

    it('serves @Public() routes', async () => {
      await request(app.getHttpServer()).get('/things/public').expect(200, { ok: true });
    });
  });

  describe('with a valid token', () => {
    it('hands the principal to @CurrentPrincipal()', async () => {
      await request(app.getHttpServer())
        .get('/things/me')
        .set('Authorization', bearer(assistant))
        .expect(200, { sub: 'u-assistant', agencyId: 'agency-1', role: 'assistant', assistantId: 'a-1' });
    });

    it('lets a listed role through @Roles()', async () => {
      await request(app.getHttpServer()).put('/things/1').set('Authorization', bearer(assistant)).expect(200);
    });

    it('answers 403 AUTH.FORBIDDEN to a role not listed', async () => {
      const res = await request(app.getHttpServer())
        .post('/things')
        .set('Authorization', bearer(client))
        .send({ name: 'x', payRate: { amountMinor: 1, currency: 'USD' } });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN' });
    });

    it('checks the role before validating the body', async () => {
      const res = await request(app.getHttpServer()).post('/things').set('Authorization', bearer(client)).send({});
      expect(res.status).toBe(403);
    });
  });
});
