import type { Admin, Kafka } from 'kafkajs';
import { deadLetterTopic } from '@vaops/contracts';

export interface EventTopicSpec {
  topic: string;
  partitions?: number;
}

/**
 * Creates each event topic with unlimited retention (the log is the source every read model is rebuilt
 * from) and its `<topic>.dlq`. Existing topics are left as they are; their partitions are never reduced.
 */
export async function provisionEventTopics(kafka: Kafka, specs: EventTopicSpec[], defaultPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = specs.flatMap((s) => {
      const partitions = s.partitions ?? defaultPartitions;
      return [
        { topic: s.topic, numPartitions: partitions, configEntries: [{ name: 'retention.ms', value: '-1' }, { name: 'retention.bytes', value: '-1' }] },
        { topic: deadLetterTopic(s.topic), numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '-1' }] },
      ];
    });
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      try {
        await admin.createTopics({ topics: missing, waitForLeaders: true });
      } catch (err) {
        // another instance (or service) created it between listTopics and createTopics
        if (!String(err).includes('already exists')) throw err;
      }
    }
    // Whoever created them, use them only once every partition has a leader: a topic another
    // service just created answers "does not host this topic-partition" for a moment.
    await waitForLeaders(admin, wanted.map((t) => t.topic));
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      const led = meta.length === topics.length && meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      // Metadata can name a leader before the partition serves requests; ListOffsets is answered by it.
      if (led) {
        for (const topic of topics) await admin.fetchTopicOffsets(topic);
        return;
      }
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`topics without leaders after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
