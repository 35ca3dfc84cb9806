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
export async function provisionEventTopics(kafka: Kafka, specs: EventTopicSpec[], defaultPartitions = 3, timeoutMs = 60_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const wanted = specs.flatMap((s) => {
      const partitions = s.partitions ?? defaultPartitions;
      return [
        { topic: s.topic, numPartitions: partitions, configEntries: [{ name: 'retention.ms', value: '-1' }, { name: 'retention.bytes', value: '-1' }] },
        { topic: deadLetterTopic(s.topic), numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '-1' }] },
      ];
    });
    const topics = wanted.map((t) => t.topic);
    // Several services (or instances) may provision the same topics at once: whatever the create
    // race answers, the topics are ready when each exists and every partition answers ListOffsets
    // (metadata can name a leader a moment before the partition serves requests).
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = wanted.filter((t) => !existing.has(t.topic));
        if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: false });
      } catch (err) {
        lastError = err; // "already exists" from a concurrent creator, or a broker still settling
      }
      if (await ready(admin, topics)) return;
      if (Date.now() > deadline) throw new Error(`topics not ready after ${timeoutMs} ms: ${topics.join(', ')} (${String(lastError)})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

async function ready(admin: Admin, topics: string[]): Promise<boolean> {
  try {
    const { topics: meta } = await admin.fetchTopicMetadata({ topics });
    if (meta.length !== topics.length || !meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return false;
    for (const topic of topics) await admin.fetchTopicOffsets(topic);
    return true;
  } catch {
    return false;
  }
}
