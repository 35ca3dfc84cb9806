import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('answers 400 REQUEST.MALFORMED_JSON to malformed JSON', async () => {
    const res = await request(app.getHttpServer())
      .post('/things')
      .set('Authorization', auth)
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'REQUEST.MALFORMED_JSON' });
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
  describe('input that cannot be read is never a 500', () => {
    const raw = (contentType: string | undefined, body: string | Buffer, headers: Record<string, string> = {}) => {
      const r = request(app.getHttpServer()).post('/things').set('Authorization', auth);
      if (contentType) r.set('Content-Type', contentType);
      for (const [k, v] of Object.entries(headers)) r.set(k, v);
      return r.send(body);
    };
    const expectProblem = (res: request.Response, status: number, code: string) => {
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.body).toMatchObject({ type: `urn:vaops:problem:${code}`, status });
    };

    it('answers 413 REQUEST.BODY_TOO_LARGE to a body over the limit (256 kB by default)', async () => {
      const res = await raw('application/json', JSON.stringify({ ...valid, name: 'x'.repeat(300_000) }));
      expectProblem(res, 413, 'REQUEST.BODY_TOO_LARGE');
      expect(res.body.detail).toBe('the body is larger than 262144 bytes');
      // just under the limit is read (and validated)
      expect((await raw('application/json', JSON.stringify({ ...valid, name: 'x'.repeat(200_000) }))).status).toBe(201);
    });

    it('answers 413 to a 2 MB body sent in chunks without a length', async () => {
      const server = app.getHttpServer() as Server;
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const res = await new Promise<{ status: number; type: string | undefined; body: { code?: string } }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/things', headers: { 'Content-Type': 'application/json', Authorization: auth } }, (r) => {
          let text = '';
          r.on('data', (d: Buffer) => (text += d.toString()));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, type: r.headers['content-type'], body: JSON.parse(text) }));
        });
        req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
        req.write('{"name":"');
        for (let i = 0; i < 20; i++) req.write('x'.repeat(100_000)); // no Content-Length: chunked
        req.end('"}');
      });
      expect(res).toMatchObject({ status: 413, type: 'application/problem+json; charset=utf-8', body: { code: 'REQUEST.BODY_TOO_LARGE' } });
    });

    it.each([
      ['an array nested 20,000 deep', '['.repeat(20_000) + ']'.repeat(20_000)],
      ['an object nested 20,000 deep', `{"name":"a","payRate":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`],
      ['33 levels', `{"name":"a","payRate":${'{"a":'.repeat(32)}1${'}'.repeat(32)}}`],
    ])('answers 400 REQUEST.TOO_DEEP to %s', async (_what, body) => {
      expectProblem(await raw('application/json', body), 400, 'REQUEST.TOO_DEEP');
    });

    it.each([
      ['truncated', '{"name": '],
      ['a bare null', 'null'],
      ['a bare string', '"text"'],
      ['single quotes', "{'name': 'a'}"],
    ])('answers 400 REQUEST.MALFORMED_JSON to %s JSON', async (_what, body) => {
      expectProblem(await raw('application/json', body), 400, 'REQUEST.MALFORMED_JSON');
    });

    it.each([
      ['text/plain', 'hello'],
      ['application/xml', '<thing/>'],
      ['application/x-www-form-urlencoded', 'name=a'],
      ['multipart/form-data; boundary=x', '--x\r\n\r\na\r\n--x--'],
    ])('answers 415 REQUEST.UNSUPPORTED_MEDIA_TYPE to a %s body', async (type, body) => {
      const res = await raw(type, body);
      expectProblem(res, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.detail).toBe(`a body must be application/json, not ${type.split(';')[0]}`);
    });

    it('answers 415 to a body without a Content-Type, and takes a +json type', async () => {
      const res = await request(app.getHttpServer()).post('/things').set('Authorization', auth).set('Content-Length', '2').send(Buffer.from('{}')).unset('Content-Type');
      expectProblem(res, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
      expect((await raw('application/merge-patch+json', JSON.stringify(valid))).status).toBe(201);
    });

    it('answers 415 to a charset other than UTF-8 and to an unknown Content-Encoding', async () => {
      expectProblem(await raw('application/json; charset=ebcdic', '{}'), 415, 'REQUEST.UNSUPPORTED_CHARSET');
      expectProblem(await raw('application/json', '{}', { 'Content-Encoding': 'compress-9' }), 415, 'REQUEST.UNSUPPORTED_ENCODING');
    });

    it('answers 400 to a gzip body that is not gzip', async () => {
      const res = await raw('application/json', '{"name": "a"}', { 'Content-Encoding': 'gzip' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    });

    it('answers 431 REQUEST.HEADERS_TOO_LARGE to a query string over 16 kB, as problem+json', async () => {
      const res = await get(`/things?limit=${'1'.repeat(20_000)}`);
      expectProblem(res, 431, 'REQUEST.HEADERS_TOO_LARGE');
      const many = await get(`/things?${Array.from({ length: 3_000 }, (_, i) => `a${i}=1`).join('&')}`);
      expect(many.status).toBe(431);
    });

    it('answers 400 naming the fields to a long query string within the limit', async () => {
      const res = await get(`/things?limit=${'9'.repeat(5_000)}`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'limit', message: expect.any(String) }]);
    });

    it('still takes a POST without a body', async () => {
      const res = await request(app.getHttpServer()).post('/things').set('Authorization', auth);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION.FAILED');
    });
  });
});
