import { createServer, connect, type Server, type Socket } from 'node:net';
import { Kafka, logLevel, type ISocketFactory } from 'kafkajs';
import { readTopic, testKafka, testServerUrls, uniqueName } from '@vaops/testing';
import { KafkaEventPublisher } from './publisher';
import { provisionEventTopics } from './topics';

/**
 * A TCP relay in front of the broker that can lose the broker's answers: the broker writes what it is
 * sent, and the client sees its connection close instead of the answer (as when the broker is killed
 * after writing a request).
 */
async function answerLosingProxy(): Promise<{ kafka: Kafka; loseAnswers: (lose: boolean) => void; close: () => Promise<void> }> {
  const [host, port] = testServerUrls().kafkaBrokers[0].split(':');
  let lose = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const broker = connect(Number(port), host);
    sockets.add(client).add(broker);
    const end = () => {
      client.destroy();
      broker.destroy();
    };
    client.on('data', (d) => broker.write(d));
    broker.on('data', (d) => (lose ? end() : client.write(d)));
    for (const s of [client, broker]) s.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the proxy has no port');
  // every connection kafkajs opens (the bootstrap one and the broker it is told about) goes through the proxy
  const socketFactory: ISocketFactory = ({ onConnect }) => connect(address.port, '127.0.0.1', onConnect);
  const kafka = new Kafka({ clientId: 'vaops-lost-answers', brokers: testServerUrls().kafkaBrokers, socketFactory, logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 300 } });
  return {
    kafka,
    loseAnswers: (l) => (lose = l),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a produce whose answer is lost, then a different batch (the real broker)', () => {
  const values = (read: { value: string | null }[]) => read.map((r) => r.value);

  it("kafkajs' idempotent producer, kept after the failure, loses the next batch: acknowledged at the earlier offset, never written", async () => {
    const topic = uniqueName('lost-answer-raw');
    await provisionEventTopics(testKafka(), [{ topic, partitions: 1 }]);
    const proxy = await answerLosingProxy();
    const producer = proxy.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const send = (value: string) => producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: [{ key: 'k', value, partition: 0 }] }] });
    try {
      await producer.connect();
      await send('m1');
      proxy.loseAnswers(true);
      await expect(send('m2')).rejects.toThrow();
      proxy.loseAnswers(false);
      const [m3] = await send('m3');
      // the broker took m3 for a retry of m2 (same producer id and sequence): m2's offset, and m3 is nowhere
      expect(m3.baseOffset).toBe('1');
      expect(values(await readTopic(testKafka(), topic))).toEqual(['m1', 'm2']);
    } finally {
      await producer.disconnect().catch(() => undefined);
      await proxy.close();
    }
  });

  it('the relay\'s publisher renews its producer after a failure: the next batch is written and its offsets are its own', async () => {
    const topic = uniqueName('lost-answer-relay');
    await provisionEventTopics(testKafka(), [{ topic, partitions: 1 }]);
    const proxy = await answerLosingProxy();
    const publisher = new KafkaEventPublisher(proxy.kafka);
    const message = (value: string) => ({ topic, key: 'stream-1', value, headers: {} });
    try {
      await publisher.publish([message('m1')]);
      proxy.loseAnswers(true);
      await expect(publisher.publish([message('m2')])).rejects.toThrow();
      proxy.loseAnswers(false);
      const [m3] = await publisher.publish([message('m3')]);
      const [m2] = await publisher.publish([message('m2')]);
      const read = await readTopic(testKafka(), topic);
      // m2 was written by the failed publish and again when sent again: at least once, never lost
      expect(values(read)).toEqual(['m1', 'm2', 'm3', 'm2']);
      expect(publisher.renewals).toBe(1);
      expect(read.find((r) => r.offset === m3.offset)?.value).toBe('m3');
      expect(read.find((r) => r.offset === m2.offset)?.value).toBe('m2');
    } finally {
      await publisher.disconnect();
      await proxy.close();
    }
  });
});
