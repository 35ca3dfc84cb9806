import type { Collection, Db } from 'mongodb';
import type { Lease } from '@vaops/event-sourcing';
import { isDuplicateKey } from './connection';

interface LeaseDoc {
  /** `<name>#<generation>` */
  _id: string;
  name: string;
  generation: number;
  owner: string;
  expiresAt: number;
}

/**
 * A named lease held by one owner until it expires (no TTL index needed).
 *
 * FerretDB v1 runs find-and-modify and filtered deletes as a read and a separate write, so under
 * contention they are not atomic (two takers of an expired lease both "won"); its unique index is.
 * So every takeover inserts the next generation of the lease, `<name>#<n+1>`, and the unique `_id`
 * picks one winner. The holder renews its own generation; the newest generation is the lease.
 * As with any lease, a holder stalled past the TTL can overlap with its successor until it next
 * checks; expiry uses each instance's clock, so clocks must agree within a fraction of the TTL.
 */
export class MongoLease implements Lease {
  private readonly leases: Collection<LeaseDoc>;

  constructor(db: Db, private readonly name: string) {
    this.leases = db.collection<LeaseDoc>('leases');
  }

  private static readonly indexed = new WeakSet<Collection<LeaseDoc>>();

  private async current(): Promise<LeaseDoc | null> {
    if (!MongoLease.indexed.has(this.leases)) {
      await this.leases.createIndex({ name: 1, generation: 1 }, { name: 'name_generation' });
      MongoLease.indexed.add(this.leases);
    }
    return this.leases.find({ name: this.name }).sort({ generation: -1 }).limit(1).next();
  }

  async tryAcquire(owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const cur = await this.current();
    if (cur && cur.expiresAt >= now) {
      if (cur.owner !== owner) return false;
      await this.leases.updateOne({ _id: cur._id, owner }, { $set: { expiresAt: now + ttlMs } });
      return true;
    }
    const generation = (cur?.generation ?? 0) + 1;
    try {
      await this.leases.insertOne({ _id: `${this.name}#${generation}`, name: this.name, generation, owner, expiresAt: now + ttlMs });
    } catch (err) {
      if (isDuplicateKey(err)) return false; // another taker won this generation
      throw err;
    }
    if (generation > 10) await this.leases.deleteMany({ name: this.name, generation: { $lt: generation - 5 } });
    return true;
  }

  async release(owner: string): Promise<void> {
    const cur = await this.current();
    // Expire it rather than delete it, so the generation sequence goes on.
    if (cur?.owner === owner) await this.leases.updateOne({ _id: cur._id, owner }, { $set: { expiresAt: 0 } });
  }
}
