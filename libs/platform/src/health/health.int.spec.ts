import { Module, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestApp, testConfig } from '../test-support/test-app';
import { HEALTH_CHECKS } from '../tokens';
import type { HealthCheck } from './health.controller';

const state = { databaseUp: true, brokerUp: true };

@Module({
  providers: [
    {
      provide: HEALTH_CHECKS,
      useValue: [
        {
          name: 'database',
          check: async () => {
            if (!state.databaseUp) throw new Error('connection refused');
          },
        },
      ] satisfies HealthCheck[],
    },
  ],
})
class DatabaseModule {}

// A second module registering its own checks under the same token: both must run.
@Module({
  providers: [
    {
      provide: HEALTH_CHECKS,
      useFactory: (): HealthCheck[] => [
        {
          name: 'broker',
          check: async () => {
            if (!state.brokerUp) throw new Error('no brokers');
          },
        },
      ],
    },
  ],
})
class BrokerModule {}

describe('health', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp(testConfig(), [DatabaseModule, BrokerModule]);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    state.databaseUp = true;
    state.brokerUp = true;
  });

  it('answers /health/live without a token', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200).expect(({ body }) => {
      expect(body.status).toBe('ok');
    });
  });

  it('is ready when every registered check passes', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, broker: { status: 'up' } },
    });
  });

  it('answers 503 naming the failing check', async () => {
    state.brokerUp = false;
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body).toMatchObject({
      status: 'error',
      error: { broker: { status: 'down', message: 'no brokers' } },
      info: { database: { status: 'up' } },
    });
    expect(res.body.error).not.toHaveProperty('database');
  });

  it('stays live while not ready', async () => {
    state.databaseUp = false;
    await request(app.getHttpServer()).get('/health/ready').expect(503);
    await request(app.getHttpServer()).get('/health/live').expect(200);
  });

  it('is ready with no checks registered', async () => {
    const bare = await createTestApp(testConfig());
    try {
      await request(bare.getHttpServer()).get('/health/ready').expect(200);
    } finally {
      await bare.close();
    }
  });
});
