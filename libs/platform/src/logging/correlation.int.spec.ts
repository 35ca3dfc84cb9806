import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ThingsModule } from '../test-support/things.controller';
import { admin, bearer, createTestApp, testConfig } from '../test-support/test-app';
import { serverTiming } from './correlation';

describe('correlation id', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp(testConfig(), [ThingsModule]);
  });
  afterAll(() => app.close());

  it('echoes X-Correlation-Id and keeps it for the whole request', async () => {
    const res = await request(app.getHttpServer())
      .get('/things/correlation')
      .set('Authorization', bearer(admin))
      .set('X-Correlation-Id', 'req-42')
      .expect(200, { correlationId: 'req-42' });
    expect(res.headers['x-correlation-id']).toBe('req-42');
  });

  it('generates a UUID when the caller sends none', async () => {
    const res = await request(app.getHttpServer()).get('/things/correlation').set('Authorization', bearer(admin));
    expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(res.body.correlationId).toBe(res.headers['x-correlation-id']);
  });

  it('says where the request spent its time (Server-Timing)', async () => {
    const res = await request(app.getHttpServer()).get('/things/correlation').set('Authorization', bearer(admin)).expect(200);
    expect(res.headers['server-timing']).toMatch(/^total;dur=\d+\.\d$/);
    expect(serverTiming(new Map([['load', 1.25], ['append', 3]]), 7)).toBe('load;dur=1.3, append;dur=3.0, total;dur=7.0');
  });

  it('tags error responses and unknown routes too', async () => {
    const res = await request(app.getHttpServer()).get('/nowhere').set('X-Correlation-Id', 'req-404');
    expect(res.status).toBe(404);
    expect(res.headers['x-correlation-id']).toBe('req-404');
  });
});
