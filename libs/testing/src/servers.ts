import type { Db } from 'mongodb';
import type { Connection } from 'mongoose';
import type { Kafka } from 'kafkajs';
import { connectMongo } from '@vaops/mongo';
import { createKafka } from '@vaops/kafka';
import { uniqueName } from './wait';

/** The real servers the Jest global setup started (or that KAFKA_BROKERS / MONGO_URL point at). */
export function testServerUrls(): { kafkaBrokers: string[]; mongoUrl: string } {
  const brokers = process.env.KAFKA_BROKERS;
  const mongoUrl = process.env.MONGO_URL;
  if (!brokers || !mongoUrl) throw new Error('KAFKA_BROKERS and MONGO_URL must be set (the Jest global setup sets them)');
  return { kafkaBrokers: brokers.split(',').map((b) => b.trim()), mongoUrl };
}

export interface TestDatabase {
  conn: Connection;
  db: Db;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database on the real Mongo-compatible server, dropped by `drop()`. */
export async function testDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = uniqueName(prefix).replace(/[^a-zA-Z0-9_]/g, '_').slice(0, 60);
  const conn = await connectMongo(testServerUrls().mongoUrl, name);
  return {
    conn,
    db: conn.db!,
    name,
    drop: async () => {
      await conn.db?.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
}

export function testKafka(clientId = 'vaops-test'): Kafka {
  return createKafka({ brokers: testServerUrls().kafkaBrokers, clientId });
}

/** Reads every message of a topic from the beginning up to its current end. */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 20_000): Promise<{ partition: number; offset: string; key: string | null; value: string | null; headers: Record<string, string> }[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const want = new Map(ends.map((p) => [p.partition, BigInt(p.high)]));
  const total = ends.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
  const out: { partition: number; offset: string; key: string | null; value: string | null; headers: Record<string, string> }[] = [];
  if (total === 0) return out;
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out with ${out.length}/${total}`)), timeoutMs);
    const reached = new Map<number, bigint>();
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = v === undefined ? '' : String(v);
        out.push({ partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers });
        reached.set(partition, BigInt(message.offset) + 1n);
        if ([...want].every(([p, high]) => high === 0n || (reached.get(p) ?? 0n) >= high)) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  try {
    await done;
  } finally {
    await consumer.disconnect();
  }
  return out;
}
