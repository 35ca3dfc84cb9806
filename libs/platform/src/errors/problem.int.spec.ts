import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { encodeCursor } from '../http/pagination';
import { ThingsModule, readModel } from '../test-support/things.controller';
import { admin, bearer, createTestApp, testConfig } from '../test-support/test-app';

describe('errors as application/problem+json', () => {
  let app: INestApplication;
  const auth = bearer(admin);
  const get = (url: string) => request(app.getHttpServer()).get(url).set('Authorization', auth);
  const post = (body: unknown) => request(app.getHttpServer()).post('/things').set('Authorization', auth).send(body as object);
  const valid = { name: 'Ada', payRate: { amountMinor: 2500, currency: 'USD' } };

  beforeAll(async () => {
    app = await createTestApp(testConfig(), [ThingsModule]);
  });
  afterAll(() => app.close());

  describe('domain errors', () => {
    it.each([
      ['invalid', 400, 'Bad Request'],
      ['not-found', 404, 'Not Found'],
      ['forbidden', 403, 'Forbidden'],
      ['conflict', 409, 'Conflict'],
      ['rule', 409, 'Conflict'],
      ['unavailable', 503, 'Service Unavailable'],
    ])('map kind %s to %i', async (kind, status, title) => {
      const res = await get(`/things/errors/${kind}`);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      const code = `THING.${kind.toUpperCase()}`;
      expect(res.body).toEqual({ type: `urn:vaops:problem:${code}`, title, status, detail: `thing is ${kind}`, code });
    });
  });

  it('answers 500 INTERNAL to an unknown error without leaking it', async () => {
    const res = await get('/things/errors/crash');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ status: 500, code: 'INTERNAL', title: 'Internal Server Error' });
    expect(res.text).not.toMatch(/mongodb|leaked|at ThingsController/);
  });

  it('answers 404 HTTP.NOT_FOUND to an unknown route', async () => {
    const res = await get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'HTTP.NOT_FOUND' });
  });

  it('answers 400 HTTP.BAD_REQUEST to malformed JSON', async () => {
    const res = await request(app.getHttpServer())
      .post('/things')
      .set('Authorization', auth)
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'HTTP.BAD_REQUEST' });
  });

  describe('validation', () => {
    it('accepts a valid body', async () => {
      await post(valid).expect(201, valid);
    });

    it('lists an unknown field as not allowed', async () => {
      const res = await post({ ...valid, agencyId: 'someone-else', version: 9 });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION.FAILED' });
      expect(res.body.errors).toEqual([
        { field: 'agencyId', message: 'is not allowed' },
        { field: 'version', message: 'is not allowed' },
      ]);
    });

    it('names a bad nested field with a dotted path', async () => {
      const res = await post({ ...valid, payRate: { amountMinor: 12.5, currency: 'USD', extra: 1 } });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'payRate.amountMinor', message: expect.stringContaining('integer') },
          { field: 'payRate.extra', message: 'is not allowed' },
        ]),
      );
    });

    it('names every missing field', async () => {
      const res = await post({});
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['name', 'payRate']),
      );
    });
  });

  describe('If-Match and ETag', () => {
    it('returns the version as a strong ETag', async () => {
      const res = await get('/things/42').expect(200);
      expect(res.headers.etag).toBe('"3"');
    });

    it.each([
      ['"3"', 3],
      ['3', 3],
      ['W/"3"', 3],
    ])('reads If-Match %s', async (header, expectedVersion) => {
      await request(app.getHttpServer())
        .put('/things/42')
        .set('Authorization', auth)
        .set('If-Match', header)
        .expect(200, { expectedVersion });
    });

    it('answers 400 HTTP.BAD_IF_MATCH to a malformed If-Match', async () => {
      const res = await request(app.getHttpServer())
        .put('/things/42')
        .set('Authorization', auth)
        .set('If-Match', 'v3');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'HTTP.BAD_IF_MATCH' });
    });
  });

  describe('pagination', () => {
    it('defaults the limit and round-trips a cursor', async () => {
      await get('/things').expect(200, { limit: 50, after: null });
      const cursor = encodeCursor({ id: 'thing-9' });
      await get(`/things?limit=2&cursor=${cursor}`).expect(200, { limit: 2, after: { id: 'thing-9' } });
    });

    it('answers 400 naming cursor to a bad cursor', async () => {
      const res = await get('/things?cursor=%%%');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION.FAILED', errors: [{ field: 'cursor', message: 'is not a valid cursor' }] });
    });

    it.each(['0', '501', 'x'])('answers 400 naming limit to limit=%s', async (limit) => {
      const res = await get(`/things?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'limit', message: expect.any(String) }]);
    });

    it('rejects an unknown query parameter', async () => {
      const res = await get('/things?agencyId=x');
      expect(res.body.errors).toEqual([{ field: 'agencyId', message: 'is not allowed' }]);
    });
  });

  describe('read-after-write', () => {
    beforeEach(() => {
      readModel.position = 5;
    });

    it('answers at once when the read model is there', async () => {
      await get('/things/behind?minPosition=5').expect(200, { position: 5 });
    });

    it('waits for the read model to catch up', async () => {
      setTimeout(() => (readModel.position = 6), 50);
      await get('/things/behind?minPosition=6').expect(200, { position: 6 });
    });

    it('answers 409 READ_MODEL.BEHIND when it does not', async () => {
      const res = await get('/things/behind?minPosition=99');
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ status: 409, code: 'READ_MODEL.BEHIND' });
    });

    it.each(['0', '-1', 'abc'])('answers 400 naming minPosition to %s', async (min) => {
      const res = await get(`/things/behind?minPosition=${min}`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'minPosition', message: expect.any(String) }]);
    });
  });
});
