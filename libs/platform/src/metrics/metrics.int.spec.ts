import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ThingsModule } from '../test-support/things.controller';
import { admin, bearer, createTestApp, testConfig } from '../test-support/test-app';
import { Metrics } from './metrics';

describe('metrics', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp(testConfig(), [ThingsModule]);
  });
  afterAll(() => app.close());

  const scrape = async (): Promise<string> => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return res.text;
  };

  it('serves GET /metrics without a token', async () => {
    expect(await scrape()).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('labels request durations with the route pattern, not the URL', async () => {
    await request(app.getHttpServer()).get('/things/abc-123').set('Authorization', bearer(admin)).expect(200);
    await request(app.getHttpServer()).get('/things/def-456').set('Authorization', bearer(admin)).expect(200);
    await request(app.getHttpServer()).get('/things/ghi-789').expect(401);
    const text = await scrape();
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/things/:id",status="200"} 2');
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/things/:id",status="401"} 1');
    expect(text).not.toContain('abc-123');
  });

  it('puts every unmatched URL under one label', async () => {
    await request(app.getHttpServer()).get('/wp-admin/setup.php').expect(404);
    const text = await scrape();
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1');
    expect(text).not.toContain('wp-admin');
  });

  it('exposes the event-sourcing metrics, fed by plain function hooks', async () => {
    const metrics = app.get(Metrics);
    const onPublished = (topic: string, n: number) => metrics.eventsPublished.inc({ topic }, n);
    onPublished('vaops.clients.v1', 3);
    metrics.eventsAppended.inc({ service: 'clients', type: 'ClientRegistered' });
    metrics.outboxBacklog.set(7);
    metrics.consumerLag.set({ group: 'billing', topic: 'vaops.clients.v1', partition: '0' }, 12);
    metrics.projectionPosition.set({ projection: 'clients', topic: 'vaops.clients.v1', partition: '0' }, 41);
    metrics.dlqMessages.inc({ topic: 'vaops.clients.v1' });
    const text = await scrape();
    expect(text).toContain('vaops_events_published_total{topic="vaops.clients.v1"} 3');
    expect(text).toContain('vaops_events_appended_total{service="clients",type="ClientRegistered"} 1');
    expect(text).toContain('vaops_outbox_backlog 7');
    expect(text).toContain('vaops_consumer_lag{group="billing",topic="vaops.clients.v1",partition="0"} 12');
    expect(text).toContain('vaops_projection_position{projection="clients",topic="vaops.clients.v1",partition="0"} 41');
    expect(text).toContain('vaops_dlq_messages_total{topic="vaops.clients.v1"} 1');
  });

  it('keeps a registry per app, so two apps in one process do not collide', async () => {
    const other = await createTestApp(testConfig(), [ThingsModule]);
    try {
      expect(other.get(Metrics).registry).not.toBe(app.get(Metrics).registry);
      const text = (await request(other.getHttpServer()).get('/metrics')).text;
      expect(text).not.toContain('vaops_outbox_backlog 7');
    } finally {
      await other.close();
    }
  });

  it('adds process metrics when asked', async () => {
    const text = await new Metrics({ defaultMetrics: true }).registry.metrics();
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
