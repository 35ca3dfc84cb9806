import type { Kafka } from 'kafkajs';
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
        // another instance created it between listTopics and createTopics
        if (!String(err).includes('already exists')) throw err;
      }
    }
  } finally {
    await admin.disconnect();
  }
}
