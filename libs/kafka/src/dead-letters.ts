import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';

/** What the consumer runner writes beside a dead letter (ConsumerRunner.deadLetter). */
const ORIGINAL_TOPIC = 'dlq-original-topic';

export interface DeadLetterTopicSummary {
  topic: string;
  /** Messages it holds. */
  messages: number;
  /** Of those, not replayed yet (after the replay group's committed offsets). */
  notReplayed: number;
}

export interface DeadLetter {
  partition: number;
  offset: string;
  key: string | null;
  /** The dlq-* headers: the error, the original topic, partition and offset, the attempts, the group. */
  headers: Record<string, string>;
  value: string;
}

export interface ReplayResult {
  /** Sent back to their original topic. */
  replayed: number;
  /** Without an original topic header (not written by our consumers): left where they are. */
  skipped: number;
}

/** The consumer group whose committed offsets say what was replayed already. */
export const replayGroupOf = (dlqTopic: string): string => `vaops.dlq-replay.${dlqTopic}`;

const text = (v: Buffer | string | (Buffer | string)[] | undefined): string | undefined => (v === undefined ? undefined : Array.isArray(v) ? text(v[0]) : v.toString());

function headersOf(m: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    const s = text(v);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

/**
 * Dead-letter topics for ops: list them with their counts, show what they hold (with the error), and
 * replay them to where they came from once the cause is fixed. A replay is idempotent: a consumer group
 * per dead-letter topic commits what was sent back, so a second replay sends only what arrived since.
 */
export class DeadLetters {
  constructor(private readonly kafka: Kafka) {}

  async list(): Promise<DeadLetterTopicSummary[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((t) => t.endsWith('.dlq')).sort();
      const out: DeadLetterTopicSummary[] = [];
      for (const topic of topics) {
        const offsets = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId: replayGroupOf(topic), topics: [topic] });
        const done = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
        let messages = 0n;
        let notReplayed = 0n;
        for (const p of offsets) {
          const [low, high] = [BigInt(p.low), BigInt(p.high)];
          messages += high - low;
          const from = (done.get(p.partition) ?? -1n) >= 0n ? (done.get(p.partition) as bigint) : low;
          notReplayed += high - (from > low ? from : low);
        }
        out.push({ topic, messages: Number(messages), notReplayed: Number(notReplayed) });
      }
      return out;
    } finally {
      await admin.disconnect();
    }
  }

  /** Up to `limit` dead letters from the start of the topic, oldest first per partition. */
  async show(dlqTopic: string, limit = 50): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    await this.read(dlqTopic, `vaops.dlq-show.${process.pid}.${Date.now()}`, false, async (partition, m) => {
      if (letters.length < limit) letters.push({ partition, offset: m.offset, key: m.key?.toString() ?? null, headers: headersOf(m), value: m.value?.toString() ?? '' });
    });
    return letters.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  }

  /** Sends every dead letter not replayed yet back to its original topic (same key, value and headers). */
  async replay(dlqTopic: string): Promise<ReplayResult> {
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const result: ReplayResult = { replayed: 0, skipped: 0 };
    try {
      await this.read(dlqTopic, replayGroupOf(dlqTopic), true, async (partition, m) => {
        const headers = headersOf(m);
        const original = headers[ORIGINAL_TOPIC];
        if (!original) {
          result.skipped++;
          return;
        }
        const kept: IHeaders = {};
        for (const [k, v] of Object.entries(headers)) if (!k.startsWith('dlq-')) kept[k] = v;
        kept['dlq-replayed-from'] = `${dlqTopic}:${partition}:${m.offset}`;
        await producer.send({ topic: original, acks: -1, messages: [{ key: m.key, value: m.value, headers: kept }] });
        result.replayed++;
      });
    } finally {
      await producer.disconnect();
    }
    return result;
  }

  /**
   * Reads a topic up to the end it has now, with `groupId` (from its committed offsets, or the start),
   * one message at a time; with `commit`, each handled message's offset is committed before the next.
   */
  private async read(topic: string, groupId: string, commit: boolean, handle: (partition: number, m: KafkaMessage) => Promise<void>): Promise<void> {
    // per partition: where to stop (the end it has now) and the next offset to handle
    const end = new Map<number, bigint>();
    const at = new Map<number, bigint>();
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        end.set(p.partition, BigInt(p.high));
        at.set(p.partition, BigInt(p.low));
      }
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      for (const p of committed?.partitions ?? []) {
        const offset = BigInt(p.offset);
        if (offset > (at.get(p.partition) ?? 0n)) at.set(p.partition, offset);
      }
    } finally {
      await admin.disconnect();
    }
    const done = () => [...end].every(([p, high]) => (at.get(p) ?? 0n) >= high);
    if (done()) return;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 200, sessionTimeout: 30_000 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const offset = BigInt(message.offset);
              if (offset >= (end.get(partition) ?? 0n)) return; // arrived after the start: next time
              await handle(partition, message);
              if (commit) await consumer.commitOffsets([{ topic, partition, offset: (offset + 1n).toString() }]);
              at.set(partition, offset + 1n);
              if (done()) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      if (!commit) await this.deleteGroup(groupId);
    }
  }

  private async deleteGroup(groupId: string): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
