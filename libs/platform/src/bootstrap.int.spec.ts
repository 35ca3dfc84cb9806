import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { bootstrapService } from './bootstrap';
import { PlatformModule } from './platform.module';
import { testConfig } from './test-support/test-app';

@Controller('widgets')
class WidgetsController {
  @Get()
  list(): string[] {
    return [];
  }
}

const config = testConfig();

@Module({ imports: [PlatformModule.forRoot({ config })], controllers: [WidgetsController] })
class AppModule {}

describe('bootstrapService', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    app = await bootstrapService(AppModule, config);
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  it('listens on the configured port (0: any free one)', async () => {
    await request(url).get('/health/live').expect(200);
  });

  it('keeps the platform rules', async () => {
    const res = await request(url).get('/widgets');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('serves Swagger UI at /docs and the document at /docs-json, with bearer auth declared', async () => {
    await request(url).get('/docs').expect(200).expect('Content-Type', /html/);
    const doc = (await request(url).get('/docs-json').expect(200)).body;
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/widgets', '/health/ready']));
  });
});
