import type { Collection, Db } from 'mongodb';

interface CheckpointDoc {
  _id: string;
  projection: string;
  topic: string;
  partition: number;
  /** Next offset to apply (Kafka convention: last applied + 1). */
  nextOffset: string;
  updatedAt: Date;
}

export type Offsets = Map<string, bigint>; // key `${topic}:${partition}`

export const offsetKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/** Per-partition checkpoints of a projection, kept beside its read model. */
export class CheckpointStore {
  private readonly coll: Collection<CheckpointDoc>;

  constructor(db: Db) {
    this.coll = db.collection<CheckpointDoc>('projection_checkpoints');
  }

  async load(projection: string): Promise<Offsets> {
    const docs = await this.coll.find({ projection }).toArray();
    return new Map(docs.map((d) => [offsetKey(d.topic, d.partition), BigInt(d.nextOffset)]));
  }

  async save(projection: string, topic: string, partition: number, nextOffset: bigint): Promise<void> {
    await this.coll.updateOne(
      { _id: `${projection}|${topic}|${partition}` },
      { $set: { projection, topic, partition, nextOffset: nextOffset.toString(), updatedAt: new Date() } },
      { upsert: true },
    );
  }
}
