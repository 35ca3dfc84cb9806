import type { Collection, Db } from 'mongodb';
import type { Lease } from '@vaops/event-sourcing';
import { isDuplicateKey } from './connection';

interface LeaseDoc {
  _id: string;
  owner: string;
  expiresAt: number;
}

/**
 * A named lease in a collection (no TTL indexes needed): held by one owner until it expires.
 * Instances of a service race for it; the holder renews it on every relay loop.
 * Expiry uses each instance's clock, so instances must keep their clocks within a fraction of the TTL.
 */
export class MongoLease implements Lease {
  private readonly leases: Collection<LeaseDoc>;

  constructor(db: Db, private readonly name: string) {
    this.leases = db.collection<LeaseDoc>('leases');
  }

  async tryAcquire(owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    try {
      await this.leases.findOneAndUpdate(
        { _id: this.name, $or: [{ owner }, { expiresAt: { $lt: now } }] },
        { $set: { owner, expiresAt: now + ttlMs } },
        { upsert: true },
      );
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false; // held by someone else, not expired
      throw err;
    }
  }

  async release(owner: string): Promise<void> {
    await this.leases.deleteOne({ _id: this.name, owner });
  }
}
