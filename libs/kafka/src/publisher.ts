import { Partitioners, type Kafka, type PartitionMetadata } from 'kafkajs';
import type { EventPublisher, OutgoingMessage, PublishedAt } from '@vaops/event-sourcing';
import { RenewingProducer } from './renewing-producer';

/**
 * The relay's producer: idempotent, acks from all in-sync replicas, one request in flight so a retry
 * cannot reorder a stream, and a new producer id after a failed publish (RenewingProducer: the relay's
 * next batch is not always the failed one, and with the old sequence numbers the broker could take it
 * for a duplicate of a request it had written, acknowledge it and drop it). Partitions are chosen here
 * with kafkajs' Java-compatible murmur2 partitioner (the same as Java clients), so we know each
 * message's partition and offset for read-your-writes.
 */
export class KafkaEventPublisher implements EventPublisher {
  private readonly producer: RenewingProducer;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly partitionsOf = new Map<string, PartitionMetadata[]>();

  constructor(private readonly kafka: Kafka) {
    this.producer = new RenewingProducer(kafka, { maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Producers replaced after a failed publish. */
  get renewals(): number {
    return this.producer.renewals;
  }

  async publish(messages: OutgoingMessage[]): Promise<PublishedAt[]> {
    if (messages.length === 0) return [];
    const byTopic = new Map<string, { index: number; partition: number; m: OutgoingMessage }[]>();
    for (const [index, m] of messages.entries()) {
      const partitionMetadata = await this.partitions(m.topic);
      const partition = this.partitioner({ topic: m.topic, partitionMetadata, message: { key: m.key, value: m.value } });
      if (!byTopic.has(m.topic)) byTopic.set(m.topic, []);
      byTopic.get(m.topic)!.push({ index, partition, m });
    }
    const result = new Array<PublishedAt>(messages.length);
    const records = await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic.entries()].map(([topic, items]) => ({
        topic,
        messages: items.map(({ partition, m }) => ({ key: m.key, value: m.value, headers: m.headers, partition })),
      })),
    });
    // Within a partition, a batch lands contiguously from baseOffset in the order sent.
    for (const [topic, items] of byTopic) {
      const seen = new Map<number, number>();
      for (const item of items) {
        const meta = records.find((r) => r.topicName === topic && r.partition === item.partition);
        if (!meta?.baseOffset) throw new Error(`no offset returned for ${topic}/${item.partition}`);
        const k = seen.get(item.partition) ?? 0;
        seen.set(item.partition, k + 1);
        result[item.index] = { topic, partition: item.partition, offset: (BigInt(meta.baseOffset) + BigInt(k)).toString() };
      }
    }
    return result;
  }

  async lastOffsets(topic: string): Promise<Map<number, string>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, (BigInt(o.high) - 1n).toString()]));
    } finally {
      await admin.disconnect();
    }
  }

  private async partitions(topic: string): Promise<PartitionMetadata[]> {
    const cached = this.partitionsOf.get(topic);
    if (cached) return cached;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions ?? [];
      if (partitions.length === 0) throw new Error(`topic ${topic} has no partitions (not provisioned?)`);
      const sorted = [...partitions].sort((a, b) => a.partitionId - b.partitionId);
      this.partitionsOf.set(topic, sorted);
      return sorted;
    } finally {
      await admin.disconnect();
    }
  }
}
