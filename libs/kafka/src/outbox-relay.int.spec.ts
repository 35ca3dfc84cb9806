import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OutboxRelay } from '@vaops/event-sourcing';
import { MongoEventStore, MongoLease } from '@vaops/mongo';
import { readTopic, testDatabase, testKafka, testMetadata, testServerUrls, uniqueName, waitUntil, type TestDatabase } from '@vaops/testing';
import { KafkaEventPublisher } from './publisher';
import { provisionEventTopics } from './topics';

const ROOT = path.resolve(__dirname, '../../..');
const ev = (n: number) => ({ type: 'Counted', data: { n } });

function startRelayProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'libs/testing/src/fixtures/relay-process.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env, MONGO_URL: testServerUrls().mongoUrl, KAFKA_BROKERS: testServerUrls().kafkaBrokers.join(',') },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

describe('OutboxRelay on the real servers', () => {
  const kafka = testKafka();
  let t: TestDatabase;
  let topic: string;
  beforeEach(async () => {
    t = await testDatabase('relay');
    topic = uniqueName('relay');
    await provisionEventTopics(kafka, [{ topic, partitions: 3 }]);
  });
  afterEach(async () => t.drop());

  it.each(['before-publish', 'after-publish'])('delivers every event after the relay is SIGKILLed %s and restarted', async (stall) => {
    const store = new MongoEventStore(t.db);
    await store.init();
    const appended: string[] = [];
    for (let s = 0; s < 5; s++) {
      await store.appendToStream(`s-${s}`, 0, [ev(s * 10), ev(s * 10 + 1)], testMetadata());
      await store.appendToStream(`s-${s}`, 2, [ev(s * 10 + 2)], testMetadata());
    }
    for (const e of await store.readAll(0, 100)) appended.push(e.eventId);
    const marker = path.join(os.tmpdir(), `${uniqueName('marker')}`);
    const first = startRelayProcess({ RELAY_DB: t.name, RELAY_TOPIC: topic, RELAY_STALL: stall, RELAY_MARKER: marker });
    try {
      await waitUntil(() => fs.existsSync(marker), { what: 'the relay to stall', timeoutMs: 30_000 });
      first.kill('SIGKILL');
      await exited(first);
    } finally {
      if (first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
    }
    expect(await store.backlog()).toBe(15); // killed before marking anything

    const second = startRelayProcess({ RELAY_DB: t.name, RELAY_TOPIC: topic, RELAY_MARKER: marker });
    try {
      await waitUntil(async () => (await store.backlog()) === 0, { what: 'the restarted relay to drain the outbox', timeoutMs: 30_000 });
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }
    const received = (await readTopic(kafka, topic)).map((m) => JSON.parse(m.value!));
    expect(new Set(received.map((e) => e.eventId))).toEqual(new Set(appended));
    // after-publish: the first run's messages arrive again (at-least-once); consumers dedupe by stream version
    expect(received.length).toBe(stall === 'after-publish' ? 30 : 15);
    for (let s = 0; s < 5; s++) {
      const versions = received.filter((e) => e.streamId === `s-${s}`).map((e) => e.version);
      const firstSeen = versions.filter((v, i) => versions.indexOf(v) === i);
      expect(firstSeen).toEqual([1, 2, 3]);
    }
    fs.rmSync(marker, { force: true });
  });

  it('does not skip an append whose position committed late (a slow writer)', async () => {
    let release: () => void = () => undefined;
    let reserved: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slowHasReserved = new Promise<void>((r) => (reserved = r));
    const slowStore = new MongoEventStore(t.db, {
      afterPositionsReserved: async (streamId) => {
        if (streamId !== 'slow') return;
        reserved();
        await gate;
      },
    });
    await slowStore.init();
    const publisher = new KafkaEventPublisher(kafka);
    const relay = new OutboxRelay({ outbox: slowStore, publisher, topic, map: (e) => e, owner: 'r1', lease: new MongoLease(t.db, 'relay'), idleMs: 20 });
    relay.start();
    try {
      const slow = slowStore.appendToStream('slow', 0, [ev(1)], testMetadata()); // reserves position 1, then waits
      await slowHasReserved;
      const fast = await slowStore.appendToStream('fast', 0, [ev(2)], testMetadata()); // position 2, committed first
      expect(fast.positions[0]).toBeGreaterThan(1);
      await waitUntil(async () => (await slowStore.publication(fast.lastPosition))?.status === 'published', { what: 'the fast event published' });
      release();
      const { lastPosition } = await slow;
      expect(lastPosition).toBeLessThan(fast.lastPosition);
      await waitUntil(async () => (await slowStore.publication(lastPosition))?.status === 'published', { what: 'the late event published' });
      const received = (await readTopic(kafka, topic)).map((m) => JSON.parse(m.value!).streamId);
      expect(received.sort()).toEqual(['fast', 'slow']);
    } finally {
      release();
      await relay.stop();
      await publisher.disconnect();
    }
  });

  it('lets only the lease holder publish', async () => {
    const store = new MongoEventStore(t.db);
    await store.init();
    const lease = new MongoLease(t.db, 'relay');
    expect(await lease.tryAcquire('a', 5_000)).toBe(true);
    expect(await lease.tryAcquire('b', 5_000)).toBe(false);
    expect(await lease.tryAcquire('a', 5_000)).toBe(true);
    await lease.release('a');
    expect(await lease.tryAcquire('b', 50)).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(await lease.tryAcquire('a', 5_000)).toBe(true); // b's lease expired
  });
});
