import { Partitioners, type Kafka } from 'kafkajs';
import { provisionEventTopics } from '@vaops/kafka';
import { testDatabase, testKafka, testMetadata, uniqueName, waitUntil, type TestDatabase } from '@vaops/testing';
import type { EventEnvelope } from '@vaops/contracts';
import { CheckpointStore, offsetKey } from './checkpoints';
import type { ProjectionDefinition } from './definition';
import { ProjectionRunner } from './projection-runner';
import { applyVersioned } from './versioned';

jest.setTimeout(90_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A rebalance that lands while a batch is being handled: kafkajs' heartbeat answers "rebalancing",
 * commits the offsets resolved so far and throws out of the batch, so the batch's checkpoint is never
 * saved by the batch itself. The projection must still end with its checkpoint at the end of the log
 * (else read-your-writes waits in vain and a rebuild never finds the live projection at its offsets),
 * and a checkpoint must never move backwards.
 */
describe('projection runner under a rebalance', () => {
  let t: TestDatabase;
  let kafka: Kafka;
  beforeEach(async () => {
    t = await testDatabase('rebal');
    kafka = testKafka();
  });
  afterEach(async () => t.drop());

  it('checkpoints a batch that a rebalance cut short after its last event was applied', async () => {
    const topic = uniqueName('rebal');
    await provisionEventTopics(kafka, [{ topic, partitions: 1 }]);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const events = [1, 2, 3].map((version) => ({ eventId: `e${version}`, type: 'Counted', schemaVersion: 1, streamId: 's-1', version, position: version, metadata: testMetadata(), data: { n: version } }));
    await producer.send({ topic, acks: -1, messages: events.map((e) => ({ key: e.streamId, value: JSON.stringify(e) })) });
    await producer.disconnect();

    // the last event of the batch is held until a second member has made the group rebalance
    let holding: () => void = () => undefined;
    const held = new Promise<void>((r) => (holding = r));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const def: ProjectionDefinition = {
      name: 'test.rebalance',
      topics: [topic],
      collections: { totals: {} },
      handlers: {
        Counted: async (e: EventEnvelope, store) => {
          if (e.version === 3) {
            holding();
            await gate;
          }
          await applyVersioned(store.collection('totals'), e.streamId, e.version, { $inc: { total: (e.data as { n: number }).n } });
        },
      },
    };
    const groupId = uniqueName('g');
    const first = new ProjectionRunner({ kafka, db: t.db, definition: def, groupId });
    const second = new ProjectionRunner({ kafka, db: t.db, definition: def, groupId });
    await first.start();
    let secondStarted: Promise<void> | undefined;
    try {
      await held;
      // joins the group: the coordinator asks the first member to rejoin on its next heartbeat, which
      // the runner sends (more than a heartbeat interval later) right after the held event is applied
      secondStarted = second.start();
      await sleep(4_000);
      release();
      await secondStarted;
      await waitUntil(async () => (await t.db.collection('totals').findOne({ _id: 's-1' as never }))?._v === 3, { what: 'the held event to be applied' });
      const checkpoints = new CheckpointStore(t.db);
      const at = await waitUntil(
        async () => {
          const next = (await checkpoints.load(def.name)).get(offsetKey(topic, 0));
          return next === 3n ? next : undefined;
        },
        { timeoutMs: 15_000, what: 'the checkpoint to reach the end of the log with no further events' },
      );
      expect(at).toBe(3n);
      expect(await t.db.collection('totals').findOne({ _id: 's-1' as never })).toMatchObject({ total: 6, _v: 3 });
    } finally {
      release();
      await secondStarted?.catch(() => undefined);
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('at start, raises a checkpoint left behind the committed offset (an instance died after the commit)', async () => {
    const topic = uniqueName('rebal');
    await provisionEventTopics(kafka, [{ topic, partitions: 1 }]);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const events = [1, 2].map((version) => ({ eventId: `e${version}`, type: 'Counted', schemaVersion: 1, streamId: 's-1', version, position: version, metadata: testMetadata(), data: { n: version } }));
    await producer.send({ topic, acks: -1, messages: events.map((e) => ({ key: e.streamId, value: JSON.stringify(e) })) });
    await producer.disconnect();
    const groupId = uniqueName('g');
    const admin = kafka.admin();
    await admin.connect();
    try {
      // both events applied and committed by an instance that died before saving the checkpoint
      await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '2' }] });
    } finally {
      await admin.disconnect();
    }
    const def: ProjectionDefinition = { name: 'test.reconcile', topics: [topic], collections: { totals: {} }, handlers: {} };
    const runner = new ProjectionRunner({ kafka, db: t.db, definition: def, groupId });
    await runner.start();
    try {
      expect((await runner.positions()).get(offsetKey(topic, 0))).toBe(2n);
    } finally {
      await runner.stop();
    }
  });

  it('never moves a checkpoint backwards (a member that lost its partitions saving late)', async () => {
    const checkpoints = new CheckpointStore(t.db);
    await checkpoints.save('p', 't', 0, 10n);
    await checkpoints.save('p', 't', 0, 7n);
    expect((await checkpoints.load('p')).get(offsetKey('t', 0))).toBe(10n);
    await checkpoints.save('p', 't', 0, 12n);
    await Promise.all([checkpoints.save('p', 't', 1, 5n), checkpoints.save('p', 't', 1, 9n), checkpoints.save('p', 't', 1, 3n)]);
    const loaded = await checkpoints.load('p');
    expect(loaded.get(offsetKey('t', 0))).toBe(12n);
    expect(loaded.get(offsetKey('t', 1))).toBe(9n);
  });
});
