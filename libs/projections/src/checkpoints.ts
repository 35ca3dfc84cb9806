import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from '@vaops/mongo';

interface CheckpointDoc {
  _id: string;
  projection: string;
  topic: string;
  partition: number;
  /** Next offset to apply (Kafka convention: last applied + 1). */
  nextOffset: string;
  /** The same as a number, for the "only forwards" comparison (absent in documents written before it). */
  next?: number;
  updatedAt: Date;
}

export type Offsets = Map<string, bigint>; // key `${topic}:${partition}`

export const offsetKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/** Per-partition checkpoints of a projection, kept beside its read model. */
export class CheckpointStore {
  private readonly coll: Collection<CheckpointDoc>;
  /** Saves of one checkpoint in this process, one after another (FerretDB v1 may lose concurrent updates). */
  private readonly saving = new Map<string, Promise<void>>();

  constructor(db: Db) {
    this.coll = db.collection<CheckpointDoc>('projection_checkpoints');
  }

  async load(projection: string): Promise<Offsets> {
    const docs = await this.coll.find({ projection }).toArray();
    return new Map(docs.map((d) => [offsetKey(d.topic, d.partition), BigInt(d.nextOffset)]));
  }

  /**
   * Moves a checkpoint forwards, never backwards: a member that lost its partitions in a rebalance may
   * save its last batch after the new owner has saved a later one.
   */
  async save(projection: string, topic: string, partition: number, nextOffset: bigint): Promise<void> {
    const _id = `${projection}|${topic}|${partition}`;
    const previous = this.saving.get(_id) ?? Promise.resolve();
    const mine = previous.then(() => this.saveForwards(_id, projection, topic, partition, nextOffset));
    const settled = mine.catch(() => undefined);
    this.saving.set(_id, settled);
    void settled.then(() => {
      if (this.saving.get(_id) === settled) this.saving.delete(_id);
    });
    return mine;
  }

  private async saveForwards(_id: string, projection: string, topic: string, partition: number, nextOffset: bigint): Promise<void> {
    const next = Number(nextOffset);
    const fields = { projection, topic, partition, nextOffset: nextOffset.toString(), next, updatedAt: new Date() };
    for (let attempt = 0; attempt < 3; attempt++) {
      // a document written before `next` existed is brought up to date by its first save
      const r = await this.coll.updateOne({ _id, $or: [{ next: { $lt: next } }, { next: { $exists: false } }] }, { $set: fields });
      if (r.matchedCount === 1) return;
      try {
        await this.coll.insertOne({ _id, ...fields });
        return;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      // it exists: at or past this offset (nothing to do), or inserted concurrently (look again)
      const now = await this.coll.findOne({ _id }, { projection: { next: 1 } });
      if (now?.next !== undefined && now.next >= next) return;
    }
    throw new Error(`checkpoint ${_id} could not be moved to ${nextOffset}`);
  }
}
