import { deadLetterTopic } from '@vaops/contracts';
import { readTopic, testKafka, uniqueName, waitUntil } from '@vaops/testing';
import { ConsumerRunner, type ConsumedEvent } from './consumer-runner';
import { provisionEventTopics } from './topics';

const envelope = (i: number, streamId: string) => ({
  eventId: `e-${i}`,
  type: 'Counted',
  schemaVersion: 1,
  streamId,
  version: i + 1,
  position: i + 1,
  metadata: { agencyId: 'a1', actor: { sub: 'u', role: 'system' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z' },
  data: { i },
});

describe('ConsumerRunner on the real broker', () => {
  const kafka = testKafka();

  it('sends one poison event to the DLQ exactly once, with the error in headers, and applies all others', async () => {
    const topic = uniqueName('poison');
    await provisionEventTopics(kafka, [{ topic, partitions: 2 }]);
    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: 60 }, (_, i) => ({ key: `s-${i % 7}`, value: JSON.stringify(envelope(i, `s-${i % 7}`)) }));
    messages.splice(30, 0, { key: 's-x', value: JSON.stringify({ ...envelope(999, 's-x'), data: { i: 999, poison: true } }) });
    messages.splice(10, 0, { key: 's-y', value: '{not json' });
    await producer.send({ topic, messages });
    await producer.disconnect();

    const applied = new Map<string, number>();
    let poisonAttempts = 0;
    const runner = new ConsumerRunner({
      kafka,
      groupId: uniqueName('g'),
      topics: [topic],
      maxRetries: 2,
      retryBackoffMs: 10,
      handle: async ({ envelope: e }: ConsumedEvent) => {
        if ((e.data as { poison?: boolean }).poison) {
          poisonAttempts++;
          throw new Error('cannot apply this one');
        }
        applied.set(e.eventId, (applied.get(e.eventId) ?? 0) + 1);
      },
    });
    await runner.start();
    try {
      await waitUntil(() => applied.size === 60, { what: '60 applied events' });
      const dlq = await waitUntil(async () => {
        const m = await readTopic(kafka, deadLetterTopic(topic));
        return m.length >= 2 ? m : undefined;
      }, { what: 'two dead letters' });
      expect(dlq).toHaveLength(2);
      const poison = dlq.find((m) => m.value?.includes('poison'))!;
      expect(poison.headers['dlq-error']).toContain('cannot apply this one');
      expect(poison.headers['dlq-attempts']).toBe('3');
      expect(poison.headers['dlq-original-topic']).toBe(topic);
      const garbage = dlq.find((m) => m.value === '{not json')!;
      expect(garbage.headers['dlq-error']).toContain('not JSON');
      expect(garbage.headers['dlq-attempts']).toBe('1');
      expect(poisonAttempts).toBe(3);
      expect([...applied.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await runner.stop();
    }
  });

  it('in batches: one poisoned event among 10,000 ends in the DLQ alone while the other 9,999 apply once', async () => {
    const topic = uniqueName('poison-batch');
    await provisionEventTopics(kafka, [{ topic, partitions: 3 }]);
    const producer = kafka.producer();
    await producer.connect();
    const poisonAt = 6_789;
    for (let from = 0; from < 10_000; from += 2_000) {
      await producer.send({
        topic,
        messages: Array.from({ length: 2_000 }, (_, j) => {
          const i = from + j;
          return { key: `s-${i % 50}`, value: JSON.stringify({ ...envelope(i, `s-${i % 50}`), data: i === poisonAt ? { i, poison: true } : { i } }) };
        }),
      });
    }
    await producer.disconnect();

    const applied = new Map<string, number>();
    const runner = new ConsumerRunner({
      kafka,
      groupId: uniqueName('g'),
      topics: [topic],
      maxRetries: 1,
      retryBackoffMs: 5,
      // a batch is all or nothing, like a projection's: one poisoned event fails its whole batch
      handleBatch: async (events: ConsumedEvent[]) => {
        if (events.some((e) => (e.envelope.data as { poison?: boolean }).poison)) throw new Error('cannot apply the poisoned one');
        for (const e of events) applied.set(e.envelope.eventId, (applied.get(e.envelope.eventId) ?? 0) + 1);
      },
    });
    await runner.start();
    try {
      await waitUntil(() => applied.size === 9_999, { what: '9,999 applied events', timeoutMs: 60_000 });
      const dlq = await waitUntil(async () => {
        const m = await readTopic(kafka, deadLetterTopic(topic));
        return m.length >= 1 ? m : undefined;
      }, { what: 'the dead letter' });
      expect(dlq).toHaveLength(1);
      expect(JSON.parse(dlq[0].value!).data).toEqual({ i: poisonAt, poison: true });
      expect(dlq[0].headers['dlq-error']).toContain('cannot apply the poisoned one');
      expect(applied.has(`e-${poisonAt}`)).toBe(false);
      expect([...applied.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await runner.stop();
    }
  });

  it('sends an event with an invalid envelope to the DLQ without calling the handler', async () => {
    const topic = uniqueName('envelope');
    await provisionEventTopics(kafka, [{ topic, partitions: 1 }]);
    const producer = kafka.producer();
    await producer.connect();
    const bad = { ...envelope(1, 's'), metadata: { ...envelope(1, 's').metadata, agencyId: '' } };
    await producer.send({ topic, messages: [{ key: 's', value: JSON.stringify(bad) }, { key: 's', value: JSON.stringify(envelope(2, 's')) }] });
    await producer.disconnect();
    const seen: string[] = [];
    const runner = new ConsumerRunner({ kafka, groupId: uniqueName('g'), topics: [topic], handle: async ({ envelope: e }) => void seen.push(e.eventId) });
    await runner.start();
    try {
      await waitUntil(() => seen.length === 1, { what: 'the valid event' });
      const dlq = await waitUntil(async () => ((await readTopic(kafka, deadLetterTopic(topic))).length === 1 ? true : undefined));
      expect(dlq).toBe(true);
      const [m] = await readTopic(kafka, deadLetterTopic(topic));
      expect(m.headers['dlq-error']).toContain('metadata.agencyId');
      expect(seen).toEqual(['e-2']);
    } finally {
      await runner.stop();
    }
  });

  it('checks a public event against its JSON Schema: a breach goes to the DLQ, an old version reaches the handler upcast', async () => {
    const topic = uniqueName('contract');
    await provisionEventTopics(kafka, [{ topic, partitions: 1 }]);
    const assistant = { assistantId: 'a1', name: 'Ana', email: 'a@x.co', timezone: 'UTC', skills: [], payRate: { amountMinor: 1500, currency: 'USD' }, workingHours: [] };
    const v1 = { ...envelope(1, 'assistant-a1'), eventId: 'v1', type: 'AssistantRegistered', data: { ...assistant, weeklyCapacityHours: 20 } };
    const broken = { ...v1, eventId: 'broken', streamId: 'assistant-a2', data: { ...assistant, weeklyCapacityHours: 20, payRate: { amountMinor: '15.00', currency: 'USD' } } };
    const v2 = { ...v1, eventId: 'v2', streamId: 'assistant-a3', schemaVersion: 2, data: { ...assistant, weeklyCapacityMinutes: 600 } };
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [v1, broken, v2].map((e) => ({ key: e.streamId, value: JSON.stringify(e) })) });
    await producer.disconnect();
    const seen: { eventId: string; schemaVersion: number; minutes: unknown; name: unknown }[] = [];
    const runner = new ConsumerRunner({
      kafka,
      groupId: uniqueName('g'),
      topics: [topic],
      handle: async ({ envelope: e }) => void seen.push({ eventId: e.eventId, schemaVersion: e.schemaVersion, minutes: (e.data as { weeklyCapacityMinutes?: number }).weeklyCapacityMinutes, name: (e.data as { name?: unknown }).name }),
    });
    await runner.start();
    try {
      await waitUntil(() => seen.length === 2, { what: 'the two valid events' });
      const [m] = await waitUntil(async () => {
        const dlq = await readTopic(kafka, deadLetterTopic(topic));
        return dlq.length === 1 ? dlq : undefined;
      }, { what: 'one dead letter' });
      expect(m.headers['dlq-error']).toContain('AssistantRegistered v1 breaks its contract: data.payRate.amountMinor must be integer');
      // upcast to the newest version (v3): whole minutes, and the plaintext name handed on marked unsealed, for
      // the consumer's transport to encrypt before any projection sees it (libs/platform sealPersonalData)
      expect(seen).toEqual([
        { eventId: 'v1', schemaVersion: 3, minutes: 1200, name: { pii: 'unsealed', person: 'a1', text: 'Ana' } },
        { eventId: 'v2', schemaVersion: 3, minutes: 600, name: { pii: 'unsealed', person: 'a1', text: 'Ana' } },
      ]);
    } finally {
      await runner.stop();
    }
  });

  it('lets three services provision the same new topics at once and use them right away', async () => {
    const topics = [uniqueName('race-a'), uniqueName('race-b')];
    await Promise.all(
      [1, 2, 3].map(async (i) => {
        const k = testKafka(`svc-${i}`);
        await provisionEventTopics(k, topics.map((topic) => ({ topic, partitions: 3 })));
        const admin = k.admin();
        await admin.connect();
        try {
          for (const topic of topics) expect((await admin.fetchTopicOffsets(topic)).map((o) => o.partition).sort()).toEqual([0, 1, 2]);
        } finally {
          await admin.disconnect();
        }
      }),
    );
  });

  it('provisions event topics with unlimited retention and a DLQ', async () => {
    const topic = uniqueName('prov');
    await provisionEventTopics(kafka, [{ topic, partitions: 4 }]);
    await provisionEventTopics(kafka, [{ topic, partitions: 4 }]); // idempotent
    const admin = kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [topic, deadLetterTopic(topic)] });
      expect(meta.topics.find((t) => t.name === topic)!.partitions).toHaveLength(4);
      const configs = await admin.describeConfigs({ resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }], includeSynonyms: false });
      expect(configs.resources[0].configEntries[0].configValue).toBe('-1');
    } finally {
      await admin.disconnect();
    }
  });
});
