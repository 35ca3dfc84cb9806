import type { Collection, Db } from 'mongodb';
import type { Snapshot, SnapshotStore } from '@vaops/event-sourcing';
import { isDuplicateKey } from './connection';

interface SnapshotDoc {
  _id: string;
  version: number;
  agencyId: string;
  schema: string;
  /** JSON: state records are keyed by ids, dates and weeks, and field names with dots are refused. */
  state: string;
  savedAt: Date;
}

/** One snapshot per stream, read and written by `_id` (the stream id). */
export class MongoSnapshotStore implements SnapshotStore {
  private readonly snapshots: Collection<SnapshotDoc>;

  constructor(db: Db, collection = 'snapshots') {
    this.snapshots = db.collection<SnapshotDoc>(collection);
  }

  async read(streamId: string): Promise<Snapshot | null> {
    const doc = await this.snapshots.findOne({ _id: streamId });
    return doc ? { streamId, version: doc.version, agencyId: doc.agencyId, schema: doc.schema, state: doc.state } : null;
  }

  async write(s: Snapshot): Promise<void> {
    const doc: SnapshotDoc = { _id: s.streamId, version: s.version, agencyId: s.agencyId, schema: s.schema, state: s.state, savedAt: new Date() };
    try {
      // replaces an older snapshot (or one of another schema); a newer one makes this an insert that clashes
      await this.snapshots.replaceOne({ _id: s.streamId, $or: [{ version: { $lt: s.version } }, { schema: { $ne: s.schema } }] }, doc, { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}
