import type { Kafka, Producer, ProducerBatch, ProducerConfig, ProducerRecord, RecordMetadata } from 'kafkajs';

/**
 * An idempotent kafkajs producer that is replaced by a new one (a new producer id) after every send that
 * failed.
 *
 * Why: kafkajs gives a failed request's sequence numbers back, and the next send reuses them. When the
 * broker had in fact written the failed request (its answer was lost: the broker was killed after
 * writing, a connection dropped), the broker takes the next send for a retry of it, because it has the
 * same producer id and sequence numbers. If that send carries other messages (the relay's next batch
 * is not always the same one), the broker acknowledges them with the first request's offsets and does
 * not write them: they are lost without an error. `libs/kafka/src/renewing-producer.int.spec.ts` shows
 * this on the real broker. A new producer id starts new sequence numbers, so everything sent after a
 * failure is written. Messages that were written before the failure and are sent again appear twice,
 * which at-least-once delivery allows: consumers are idempotent.
 */
export class RenewingProducer {
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private discarded = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: ProducerConfig,
  ) {}

  async connect(): Promise<void> {
    await this.current();
  }

  /** Producers replaced after a failed send. */
  get renewals(): number {
    return this.discarded;
  }

  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    return this.sending((p) => p.sendBatch(batch));
  }

  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    return this.sending((p) => p.send(record));
  }

  async disconnect(): Promise<void> {
    const pending = this.connecting;
    this.connecting = undefined;
    this.producer = undefined;
    if (pending) await (await pending.catch(() => undefined))?.disconnect().catch(() => undefined);
  }

  private async sending(act: (p: Producer) => Promise<RecordMetadata[]>): Promise<RecordMetadata[]> {
    const producer = await this.current();
    try {
      return await act(producer);
    } catch (err) {
      this.discard(producer);
      throw err;
    }
  }

  private current(): Promise<Producer> {
    if (!this.connecting) {
      const producer = this.kafka.producer({ ...this.config, idempotent: true });
      this.producer = producer;
      this.connecting = producer.connect().then(
        () => producer,
        (err: unknown) => {
          if (this.producer === producer) {
            this.producer = undefined;
            this.connecting = undefined;
          }
          throw err;
        },
      );
    }
    return this.connecting;
  }

  /** The next send connects a new producer; this one leaves in the background (it may be unreachable). */
  private discard(producer: Producer): void {
    if (this.producer !== producer) return;
    this.producer = undefined;
    this.connecting = undefined;
    this.discarded++;
    void producer.disconnect().catch(() => undefined);
  }
}
