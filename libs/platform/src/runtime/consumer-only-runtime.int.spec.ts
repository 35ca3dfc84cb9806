import { systemClock } from '@vaops/event-sourcing';
import type { ProjectionDefinition } from '@vaops/projections';
import { testDatabase, testKafka, testServerUrls, uniqueName, type TestDatabase } from '@vaops/testing';
import { loadConfig } from '../config/config';
import { JsonLogger } from '../logging/json-logger';
import { Metrics } from '../metrics/metrics';
import { EventSourcedRuntime } from './event-sourced-runtime';

/** A service built only from other services' topics: projections and health, no store, relay or topic. */
describe('consumer-only runtime (real servers)', () => {
  let t: TestDatabase;
  let runtime: EventSourcedRuntime;
  const topic = `${uniqueName('consumed').replace(/[^a-zA-Z0-9]/g, '_')}.vaops.clients.events.v1`;
  const projection: ProjectionDefinition = { name: 'probe.read-model', topics: [topic], collections: { probe_docs: {} }, handlers: {} };

  beforeAll(async () => {
    t = await testDatabase('consumer-only');
    const { kafkaBrokers, mongoUrl } = testServerUrls();
    const config = loadConfig({ KAFKA_BROKERS: kafkaBrokers.join(','), MONGO_URL: `${mongoUrl.replace(/\/$/, '')}/${t.name}`, NODE_ENV: 'test' }, { serviceName: 'probe', port: 0 });
    runtime = new EventSourcedRuntime({ config, metrics: new Metrics(), logger: new JsonLogger({ service: 'probe', level: 'fatal' }), clock: systemClock, consumerOnly: true, projections: [projection] });
    await runtime.start();
  });
  afterAll(async () => {
    await runtime?.stop();
    await t?.drop();
  });

  it('consumes: provisions the topics it reads (and their DLQs) and answers health for Kafka, MongoDB and its consumers', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).toEqual(expect.arrayContaining([topic, `${topic}.dlq`]));
    await runtime.consumersStarted();
    const checks = runtime.healthChecks();
    expect(checks.map((c) => c.name)).toEqual(['mongo', 'projections', 'kafka']);
    for (const c of checks) await c.check();
  });

  it('keeps no event store and refuses what needs one', async () => {
    const names = (await t.db.listCollections().toArray()).map((c) => c.name);
    expect(names).not.toContain('events');
    expect(names).not.toContain('counters');
    const decider = { initialState: () => ({}), evolve: () => ({}), decide: () => [] };
    const principal = { sub: 's', agencyId: 'ag', role: 'agency-admin' as const };
    const probes = runtime.aggregate(decider, (id: string) => `probe-${id}`);
    await expect(probes.execute('1', {}, principal)).rejects.toThrow('probe is consumer-only: it has no event store to execute a command');
    await expect(probes.load('1', 'ag')).rejects.toThrow('consumer-only');
    await expect(runtime.waitForProjection('probe.read-model', 3)).rejects.toThrow('consumer-only');
    await expect(runtime.waitForProjection('probe.read-model', undefined)).resolves.toBeUndefined();
  });
});
