import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { decodeEvent, deadLetterTopic, Topics, type PublicEvent } from '@vaops/contracts';
import { systemClock } from '@vaops/event-sourcing';
import { applyBatch, applyIfNewer, liveStore, type ReadModelStore } from '@vaops/projections';
import { readTopic, testDatabase, testKafka, testServerUrls, uniqueName, waitUntil, type TestDatabase } from '@vaops/testing';
import { loadConfig } from '../config/config';
import { JsonLogger } from '../logging/json-logger';
import { Metrics } from '../metrics/metrics';
import { EventSourcedRuntime } from '../runtime/event-sourced-runtime';
import { projectionsOf } from './event-handlers';
import { ProjectionHandler, type ProjectionSpec } from './projection-handler';
import { ProjectionTransport } from './projection-transport';
import { MemoryPersonKeyStore, PersonKeys } from '../personal-data/person-keys';

// the names below are v1 events (plaintext): the transport seals them under each client's key before the handler
const keys = new PersonKeys(new MemoryPersonKeyStore());

const CLIENT_NAMES: ProjectionSpec = { name: 'probe.client-names', topics: [Topics.clients], collections: { probe_clients: { indexes: [{ key: { agencyId: 1 } }] } } };
const ZONES: ProjectionSpec = { name: 'probe.zones', topics: [Topics.clients], collections: { probe_zones: {} } };

@Controller()
class ClientNamesHandlers {
  calls = 0;
  @ProjectionHandler(CLIENT_NAMES, 'ClientRegistered')
  async registered(e: PublicEvent<'ClientRegistered'>, store: ReadModelStore): Promise<void> {
    this.calls++;
    if (e.data.name.pii !== 'v1') throw new Error('the transport handed on personal data it had not sealed');
    const name = await keys.reveal(e.data.name);
    if (name === 'poison') throw new Error('a handler bug');
    await applyIfNewer(store.collection('probe_clients'), e.data.clientId, e.version, { $set: { agencyId: e.metadata.agencyId, name } });
  }
}

@Controller()
class ZonesHandlers {
  @ProjectionHandler(ZONES, 'AgencySettingsChanged')
  async changed(e: PublicEvent<'AgencySettingsChanged'>, store: ReadModelStore): Promise<void> {
    await applyIfNewer(store.collection('probe_zones'), e.metadata.agencyId, e.version, { $set: { timezone: e.data.timezone } });
  }
}

@Module({ controllers: [ClientNamesHandlers, ZonesHandlers] })
class ProbeHandlers {}

const TYPES_SEEN: ProjectionSpec = { name: 'probe.types-seen', topics: [Topics.clients], collections: { probe_seen: {} } };

/** One method for two types, as a history takes every change alike. */
@Controller()
class TypesSeenHandlers {
  @ProjectionHandler(TYPES_SEEN, 'ClientRegistered', 'AgencySettingsChanged')
  async seen(e: PublicEvent<'ClientRegistered' | 'AgencySettingsChanged'>, store: ReadModelStore): Promise<void> {
    const about = e.type === 'ClientRegistered' ? e.data.clientId : e.data.timezone;
    await applyIfNewer(store.collection('probe_seen'), e.eventId, e.version, { $set: { type: e.type, about } });
  }
}

/** Two methods of one projection for one type: refused when the projections are built. */
@Controller()
class TwiceHandlers {
  @ProjectionHandler(TYPES_SEEN, 'ClientRegistered')
  async first(): Promise<void> {}

  @ProjectionHandler(TYPES_SEEN, 'AgencySettingsChanged', 'ClientRegistered')
  async second(): Promise<void> {}
}

const metadata = { agencyId: 'ag-1', actor: { sub: 'u', role: 'agency-admin' as const }, correlationId: 'c', causationId: 'c', occurredAt: '2026-03-02T09:00:00.000Z' };
const registeredV1 = (i: number, name: string) => ({
  eventId: `e-${i}`,
  type: 'ClientRegistered',
  schemaVersion: 1,
  streamId: `client-c${i}`,
  version: 1,
  position: i,
  metadata,
  data: { clientId: `c${i}`, name, email: `c${i}@example.com`, timezone: 'Europe/Berlin', currency: 'EUR' },
});
/** As a consumer receives a v1 event: upcast, its plaintext marked for sealing. */
const registered = (i: number, name: string): PublicEvent<'ClientRegistered'> => decodeEvent(registeredV1(i, name)) as PublicEvent<'ClientRegistered'>;
const settings = (i: number): PublicEvent<'AgencySettingsChanged'> => ({
  eventId: `e-${i}`,
  type: 'AgencySettingsChanged',
  schemaVersion: 1,
  streamId: 'agency-ag-1',
  version: 1,
  position: i,
  metadata,
  data: { timezone: 'Europe/Paris', minimumNoticeHours: 24, bufferMinutes: 15, roundingMinutes: 15, roundingMode: 'up', silenceWorkingDays: 5 },
});

describe('ProjectionTransport: event handlers declared with @ProjectionHandler', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await testDatabase('transport');
  });
  afterEach(async () => t.drop());

  it('builds one projection per name from the registered handlers, topics prefixed, and skips event types it has no handler for', async () => {
    const defs = await projectionsOf(ProbeHandlers, 'pre.', keys);
    expect(defs.map((d) => ({ name: d.name, topics: d.topics, collections: d.collections, types: Object.keys(d.handlers) }))).toEqual([
      { name: 'probe.client-names', topics: [`pre.${Topics.clients}`], collections: CLIENT_NAMES.collections, types: ['ClientRegistered'] },
      { name: 'probe.zones', topics: [`pre.${Topics.clients}`], collections: ZONES.collections, types: ['AgencySettingsChanged'] },
    ]);
    const store = liveStore(t.db);
    await applyBatch(defs[0], [registered(1, 'Ada'), settings(2), registered(3, 'Bo')], store);
    expect(await t.db.collection('probe_clients').find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'c1', _v: 1, _rev: 1, agencyId: 'ag-1', name: 'Ada' },
      { _id: 'c3', _v: 1, _rev: 1, agencyId: 'ag-1', name: 'Bo' },
    ]);
    expect(await t.db.collection('probe_zones').countDocuments()).toBe(0);
  });

  it('registers a method declared for several types under each of them, once', async () => {
    const [seen] = await projectionsOf([TypesSeenHandlers], '', keys);
    expect(Object.keys(seen.handlers)).toEqual(['ClientRegistered', 'AgencySettingsChanged']);
    await applyBatch(seen, [registered(1, 'Ada'), settings(2)], liveStore(t.db));
    expect(await t.db.collection('probe_seen').find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'e-1', _v: 1, _rev: 1, type: 'ClientRegistered', about: 'c1' },
      { _id: 'e-2', _v: 1, _rev: 1, type: 'AgencySettingsChanged', about: 'Europe/Paris' },
    ]);
  });

  it('refuses two methods of one projection for one event type', async () => {
    await expect(projectionsOf([TwiceHandlers], '', keys)).rejects.toThrow(/two handlers of one event type in projection probe\.types-seen .*ClientRegistered/);
  });

  it('calls the handler methods themselves: a handler error reaches the runner as it was thrown', async () => {
    const strategy = new ProjectionTransport({ resolve: (c): unknown => app.get(c, { strict: false }), keys });
    const app = await NestFactory.createMicroservice(ProbeHandlers, { strategy, logger: false });
    await app.init();
    try {
      const [names] = strategy.definitions();
      await names.handlers.ClientRegistered!(registered(1, 'Ada'), liveStore(t.db));
      expect(app.get(ClientNamesHandlers).calls).toBe(1);
      await expect(names.handlers.ClientRegistered!(registered(2, 'poison'), liveStore(t.db))).rejects.toThrow('a handler bug');
    } finally {
      await app.close();
    }
  });

  it('runs the projections on the runtime’s consumer groups: a handler that keeps failing sends its event to the DLQ, the rest apply', async () => {
    const prefix = `${uniqueName('tr').replace(/[^a-zA-Z0-9]/g, '_')}.`;
    const topic = `${prefix}${Topics.clients}`;
    const { kafkaBrokers, mongoUrl } = testServerUrls();
    const config = loadConfig({ KAFKA_BROKERS: kafkaBrokers.join(','), MONGO_URL: `${mongoUrl.replace(/\/$/, '')}/${t.name}`, NODE_ENV: 'test' }, { serviceName: 'probe', port: 0 });
    const runtime = new EventSourcedRuntime({ config, metrics: new Metrics(), logger: new JsonLogger({ service: 'probe', level: 'fatal' }), clock: systemClock, consumerOnly: true, groupPrefix: prefix });
    await runtime.start();
    let app: INestMicroservice | undefined;
    try {
      const strategy = new ProjectionTransport({ topicPrefix: prefix, run: (d) => runtime.consume(d), resolve: (c) => app!.get(c, { strict: false }), keys });
      app = await NestFactory.createMicroservice(ProbeHandlers, { strategy, logger: false });
      await app.listen();
      await runtime.consumersStarted();
      const kafka = testKafka();
      const producer = kafka.producer();
      await producer.connect();
      const events = [registeredV1(1, 'Ada'), registeredV1(2, 'poison'), settings(3), registeredV1(4, 'Bo')];
      await producer.send({ topic, messages: events.map((e) => ({ key: e.streamId, value: JSON.stringify(e) })) });
      await producer.disconnect();
      await waitUntil(async () => (await t.db.collection('probe_clients').countDocuments()) === 2 && (await t.db.collection('probe_zones').countDocuments()) === 1, { what: 'the good events to apply' });
      const dead = await waitUntil(async () => {
        const m = await readTopic(kafka, deadLetterTopic(topic));
        return m.length === 1 ? m : undefined;
      }, { what: 'one dead letter' });
      expect(JSON.parse(dead[0].value!)).toMatchObject({ eventId: 'e-2' });
      expect(dead[0].headers['dlq-error']).toBe('Error: a handler bug');
      // retried before it was dead-lettered
      expect(app.get(ClientNamesHandlers).calls).toBeGreaterThan(4);
    } finally {
      await app?.close();
      await runtime.stop();
    }
  });
});
