import type { Db } from 'mongodb';
import type { Kafka } from 'kafkajs';
import { ConsumerRunner, type ConsumerRunnerLogger } from '@vaops/kafka';
import type { Outbox } from '@vaops/event-sourcing';
import { CheckpointStore, offsetKey, type Offsets } from './checkpoints';
import { ensureIndexes, liveStore, type ProjectionDefinition } from './definition';
import { applyBatch } from './unit-of-work';

export interface ProjectionRunnerOptions {
  kafka: Kafka;
  db: Db;
  definition: ProjectionDefinition;
  /** Consumer group: one per service and projection, shared by all instances of the service. */
  groupId: string;
  /** How long the broker holds an idle fetch (ConsumerRunner's maxWaitTimeInMs). */
  maxWaitTimeInMs?: number;
  logger?: ConsumerRunnerLogger;
  onPosition?: (topic: string, partition: number, nextOffset: bigint) => void;
  onLag?: (topic: string, partition: number, lag: number) => void;
  onDeadLetter?: (topic: string, error: string) => void;
}

/**
 * Feeds a projection from Kafka a batch at a time: the batch is applied in memory and each document it
 * changed is written once (applyBatch), then one checkpoint per partition is saved, before the offset
 * commit.
 *
 * A rebalance can cut a batch short: kafkajs' heartbeat, answered "rebalancing", commits the offsets
 * resolved so far (events already applied) and throws out of the batch. The ConsumerRunner still calls
 * afterBatch for what was handled, so the checkpoint follows. A process that dies in between would leave
 * the checkpoint behind the committed offset (read-your-writes would wait in vain, a rebuild would never
 * find the live projection at its offsets), so at start the runner raises every checkpoint of the
 * projection to the group's committed offset, which only ever passes events that were applied (or
 * dead-lettered). Checkpoints only move forwards: a member that lost its partitions cannot rewind them.
 */
export class ProjectionRunner {
  private readonly checkpoints: CheckpointStore;
  private readonly runner: ConsumerRunner;
  private offsets: Offsets = new Map();

  constructor(private readonly o: ProjectionRunnerOptions) {
    this.checkpoints = new CheckpointStore(o.db);
    const store = liveStore(o.db);
    this.runner = new ConsumerRunner({
      kafka: o.kafka,
      groupId: o.groupId,
      topics: o.definition.topics,
      fromBeginning: true,
      maxWaitTimeInMs: o.maxWaitTimeInMs,
      logger: o.logger,
      onLag: o.onLag,
      onDeadLetter: o.onDeadLetter,
      // A batch at a time: in memory, then each changed document written once (applyBatch).
      handleBatch: async (events) => {
        // Already applied (checkpoint saved, offset commit lost): skip without touching the read model.
        const fresh = events.filter(({ topic, partition, offset }) => {
          const done = this.offsets.get(offsetKey(topic, partition));
          return done === undefined || BigInt(offset) >= done;
        });
        await applyBatch(o.definition, fresh.map((e) => e.envelope), store);
      },
      afterBatch: async (topic, partition, last) => {
        const next = BigInt(last) + 1n;
        await this.checkpoints.save(o.definition.name, topic, partition, next);
        this.advance(topic, partition, next);
      },
    });
  }

  async start(): Promise<void> {
    await ensureIndexes(this.o.definition, liveStore(this.o.db));
    this.offsets = await this.checkpoints.load(this.o.definition.name);
    // a batch cut short before the last stop or crash of any instance
    await this.reconcile().catch((err) => this.o.logger?.warn('could not reconcile checkpoints with committed offsets', { error: String(err) }));
    await this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner.stop();
  }

  private advance(topic: string, partition: number, next: bigint): void {
    const key = offsetKey(topic, partition);
    if ((this.offsets.get(key) ?? -1n) < next) this.offsets.set(key, next);
    this.o.onPosition?.(topic, partition, this.offsets.get(key)!);
  }

  /** Raises each checkpoint of the projection that is behind the group's committed offset to it. */
  private async reconcile(): Promise<void> {
    const { kafka, definition, groupId } = this.o;
    const admin = kafka.admin();
    await admin.connect();
    let committed: Awaited<ReturnType<typeof admin.fetchOffsets>>;
    try {
      committed = await admin.fetchOffsets({ groupId, topics: definition.topics });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const saved = await this.checkpoints.load(definition.name);
    for (const { topic, partitions } of committed) {
      for (const { partition, offset } of partitions) {
        if (Number(offset) < 0) continue; // nothing committed
        const next = BigInt(offset);
        const was = saved.get(offsetKey(topic, partition));
        if (was !== undefined && was >= next) continue;
        await this.checkpoints.save(definition.name, topic, partition, next);
        this.advance(topic, partition, next);
        this.o.logger?.log('checkpoint raised to the committed offset (a batch was cut short)', { topic, partition, from: was?.toString() ?? null, to: next.toString() });
      }
    }
  }

  /** The projection's name. */
  get name(): string {
    return this.o.definition.name;
  }

  /**
   * Next offset to apply per partition as this instance knows it (what it applied, and what was saved
   * when it started): exact for its own partitions, maybe behind for others'.
   */
  knownOffsets(): Offsets {
    return this.offsets;
  }

  /** Next offset to apply per partition, as last saved. */
  async positions(): Promise<Offsets> {
    return this.checkpoints.load(this.o.definition.name);
  }
}

/**
 * Read-your-writes: true once the projection reflects the event at `position` of this service's own
 * store and everything the relay had published by then: its checkpoint has passed, in every partition,
 * the watermark recorded when that event was published. A position that holds no event (a lost race
 * leaves a gap) counts as reached once the store has handed it out.
 */
export async function projectionHasReached(
  outbox: Outbox,
  checkpoints: CheckpointStore,
  projection: string,
  position: number,
  known?: Offsets,
): Promise<boolean> {
  const pub = await outbox.publication(position);
  if (pub === undefined) return position <= (await outbox.highestPosition());
  if (pub.status === 'pending') return false;
  const passed = (offsets: Offsets) => Object.entries(pub.watermark).every(([key, offset]) => (offsets.get(key) ?? 0n) > BigInt(offset));
  // what this instance applied answers most reads of its own writes without a query
  if (known && passed(known)) return true;
  return passed(await checkpoints.load(projection));
}
