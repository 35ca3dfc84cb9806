import { readTopic, testKafka, uniqueName } from '@vaops/testing';
import { KafkaEventPublisher } from './publisher';
import { provisionEventTopics } from './topics';

describe('KafkaEventPublisher on the real broker', () => {
  it('reports the partition and offset each message landed at, keyed by stream, in order per stream', async () => {
    const kafka = testKafka();
    const topic = uniqueName('pub');
    await provisionEventTopics(kafka, [{ topic, partitions: 3 }]);
    const publisher = new KafkaEventPublisher(kafka);
    const msgs = Array.from({ length: 30 }, (_, i) => ({ topic, key: `stream-${i % 5}`, value: `v${i}`, headers: { n: String(i) } }));
    try {
      const at = await publisher.publish(msgs);
      const more = await publisher.publish(msgs.slice(0, 3).map((m) => ({ ...m, value: `${m.value}-again` })));
      const read = await readTopic(kafka, topic);
      expect(read).toHaveLength(33);
      for (const [i, a] of [...at, ...more].entries()) {
        const m = read.find((r) => r.partition === a.partition && r.offset === a.offset)!;
        expect(m.value).toBe(i < 30 ? `v${i}` : `v${i - 30}-again`);
      }
      // same key, same partition; per-stream order is the publish order
      for (let s = 0; s < 5; s++) {
        const ofStream = read.filter((r) => r.key === `stream-${s}`);
        expect(new Set(ofStream.map((r) => r.partition)).size).toBe(1);
        const ordered = [...ofStream].sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset))).map((r) => r.value);
        expect(ordered.slice(0, 6)).toEqual(msgs.filter((m) => m.key === `stream-${s}`).map((m) => m.value));
      }
    } finally {
      await publisher.disconnect();
    }
  });
});
