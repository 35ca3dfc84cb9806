import { deadLetterTopic } from '@vaops/contracts';
import { readTopic, testKafka, uniqueName, waitUntil } from '@vaops/testing';
import { main } from './cli/dlq';
import { ConsumerRunner, type ConsumedEvent } from './consumer-runner';
import { DeadLetters } from './dead-letters';
import { provisionEventTopics } from './topics';

const envelope = (i: number, streamId: string, data: Record<string, unknown> = {}) => ({
  eventId: `e-${i}`,
  type: 'Counted',
  schemaVersion: 1,
  streamId,
  version: 1,
  position: i + 1,
  metadata: { agencyId: 'a1', actor: { sub: 'u', role: 'system' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z' },
  data: { i, ...data },
});

describe('dead letters for ops: list, show, replay (real broker)', () => {
  const kafka = testKafka();

  it('shows what a consumer dead-lettered with its error, replays it once the cause is fixed, and a second replay sends nothing', async () => {
    const topic = uniqueName('redrive');
    const dlqTopic = deadLetterTopic(topic);
    await provisionEventTopics(kafka, [{ topic, partitions: 2 }]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ key: `s-${i}`, value: JSON.stringify(envelope(i, `s-${i}`, i % 7 === 3 ? { broken: true } : {})) })) });

    // a handler with a bug for some events: they end in the DLQ, the rest apply
    let fixed = false;
    const applied = new Map<string, number>();
    const runner = new ConsumerRunner({
      kafka,
      groupId: uniqueName('g'),
      topics: [topic],
      maxRetries: 1,
      retryBackoffMs: 5,
      handle: async ({ envelope: e }: ConsumedEvent) => {
        if ((e.data as { broken?: boolean }).broken && !fixed) throw new Error('no handler for a broken one');
        applied.set(e.eventId, (applied.get(e.eventId) ?? 0) + 1);
      },
    });
    await runner.start();
    const dlq = new DeadLetters(kafka);
    try {
      await waitUntil(() => applied.size === 17, { what: '17 applied events' });
      await waitUntil(async () => (await readTopic(kafka, dlqTopic)).length === 3, { what: 'three dead letters' });

      const listed = (await dlq.list()).find((t) => t.topic === dlqTopic);
      expect(listed).toEqual({ topic: dlqTopic, messages: 3, notReplayed: 3 });
      const shown = await dlq.show(dlqTopic);
      expect(shown.map((l) => l.key).sort()).toEqual(['s-10', 's-17', 's-3']);
      expect(shown.every((l) => l.headers['dlq-error'] === 'Error: no handler for a broken one' && l.headers['dlq-original-topic'] === topic)).toBe(true);
      let printed = '';
      expect(await main(['show', dlqTopic, '--limit', '2'], (s) => (printed += s), { KAFKA_BROKERS: process.env.KAFKA_BROKERS })).toBe(0);
      expect(printed.match(/error: Error: no handler for a broken one/g)).toHaveLength(2);

      // the cause is fixed: replay sends them back, the consumer applies them
      fixed = true;
      expect(await dlq.replay(dlqTopic)).toEqual({ replayed: 3, skipped: 0 });
      await waitUntil(() => applied.size === 20, { what: 'the replayed events to apply' });
      const back = (await readTopic(kafka, topic)).filter((m) => m.headers['dlq-replayed-from']);
      expect(back).toHaveLength(3);
      expect(back.every((m) => m.headers['dlq-replayed-from'].startsWith(`${dlqTopic}:`) && m.headers['dlq-error'] === undefined)).toBe(true);
      expect((await dlq.list()).find((t) => t.topic === dlqTopic)).toEqual({ topic: dlqTopic, messages: 3, notReplayed: 0 });

      // idempotent: nothing new, nothing sent; a new dead letter (not ours: no header) is skipped, not sent
      expect(await dlq.replay(dlqTopic)).toEqual({ replayed: 0, skipped: 0 });
      await producer.send({ topic: dlqTopic, messages: [{ key: 'x', value: 'from elsewhere' }] });
      let said = '';
      expect(await main(['replay', dlqTopic], (s) => (said += s), { KAFKA_BROKERS: process.env.KAFKA_BROKERS })).toBe(0);
      expect(said).toBe(`${dlqTopic}: replayed 0 to their original topics, skipped 1 without a dlq-original-topic header\n`);
      expect(await dlq.replay(dlqTopic)).toEqual({ replayed: 0, skipped: 0 });
      expect([...applied.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await runner.stop();
      await producer.disconnect();
    }
  });

  it('answers a wrong command with its usage', async () => {
    let said = '';
    expect(await main(['replay', 'not-a-dlq'], (s) => (said += s))).toBe(2);
    expect(said).toContain('usage: npm run dlq -- list');
    expect(await main(['show', 'x.dlq', '--limit', '0'], () => undefined)).toBe(2);
  });
});
