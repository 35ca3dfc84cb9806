import { connectMongo, isDuplicateKey } from '@vaops/mongo';
import type { Collection, Db } from 'mongodb';
import type { Connection } from 'mongoose';
import { ConfigError, type AppConfig, type Env } from '../config/config';
import { DEV_MASTER_KEY, PersonKeys, type PersonKeyStore, type StoredPersonKey } from './person-keys';

/** The keyring's database, shared by every service (VAOPS_KEYRING_DB, default `vaops_keyring`). */
export const DEFAULT_KEYRING_DB = 'vaops_keyring';
const COLLECTION = 'person_keys';

type KeyDoc = { _id: string } & ({ status: 'active'; wrapped: { iv: string; ct: string }; createdAt: string; parties?: string[] } | { status: 'erased'; erasedAt: string; erasedBy: string });

const toStored = (d: KeyDoc): StoredPersonKey => {
  const { _id, ...rest } = d;
  return { personId: _id, ...rest } as StoredPersonKey;
};

/**
 * Person keys in MongoDB, one document per person (`_id` the person's id): the wrapped key, or the
 * tombstone that replaced it. Creation is an insert (the `_id` makes a concurrent second one fail and
 * read the first), erasure a replace (upsert), so a tombstone always wins and is never undone.
 */
export class MongoPersonKeyStore implements PersonKeyStore {
  constructor(private readonly db: () => Db) {}

  private get keys(): Collection<KeyDoc> {
    return this.db().collection<KeyDoc>(COLLECTION);
  }

  async get(personId: string): Promise<StoredPersonKey | null> {
    const doc = await this.keys.findOne({ _id: personId });
    return doc ? toStored(doc) : null;
  }

  async insertIfAbsent(key: Extract<StoredPersonKey, { status: 'active' }>): Promise<StoredPersonKey> {
    try {
      await this.keys.insertOne({ _id: key.personId, status: 'active', wrapped: key.wrapped, createdAt: key.createdAt, ...(key.parties ? { parties: key.parties } : {}) });
      return key;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.get(key.personId);
      if (!existing) throw err;
      return existing;
    }
  }

  async tombstone(personId: string, erasedBy: string, erasedAt: string): Promise<{ erasedAt: string; erasedBy: string; already: boolean }> {
    const existing = await this.keys.findOne({ _id: personId });
    if (existing?.status === 'erased') return { erasedAt: existing.erasedAt, erasedBy: existing.erasedBy, already: true };
    await this.keys.replaceOne({ _id: personId }, { status: 'erased', erasedAt, erasedBy } as Omit<KeyDoc, '_id'>, { upsert: true });
    return { erasedAt, erasedBy, already: false };
  }

  async activePage(after: string | null, limit: number): Promise<Extract<StoredPersonKey, { status: 'active' }>[]> {
    const docs = await this.keys.find({ status: 'active', ...(after === null ? {} : { _id: { $gt: after } }) }).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map(toStored) as Extract<StoredPersonKey, { status: 'active' }>[];
  }

  async rewrap(personId: string, from: { iv: string; ct: string }, to: { iv: string; ct: string }): Promise<boolean> {
    const r = await this.keys.updateOne({ _id: personId, status: 'active', 'wrapped.iv': from.iv, 'wrapped.ct': from.ct }, { $set: { wrapped: to } });
    return r.modifiedCount === 1;
  }

  // an erasure's (rare) scan of the keys that name the person among their parties
  async sharedWith(personId: string): Promise<string[]> {
    const docs = await this.keys.find({ status: 'active', parties: personId }, { projection: { _id: 1 } }).toArray();
    return docs.map((d) => d._id);
  }
}

const base64Key = (variable: string, raw: string): Buffer => {
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new ConfigError(variable, 'must be 32 bytes, base64');
  return key;
};

/** VAOPS_KEYRING_PREVIOUS_MASTER_KEY: master keys being rotated out (comma list, base64), still read. */
export function keyringPreviousMasterKeys(env: Env): Buffer[] {
  return (env.VAOPS_KEYRING_PREVIOUS_MASTER_KEY ?? '').split(',').map((k) => k.trim()).filter(Boolean).map((k) => base64Key('VAOPS_KEYRING_PREVIOUS_MASTER_KEY', k));
}

/** VAOPS_KEYRING_MASTER_KEY: 32 bytes, base64 (production requires it; elsewhere the development key). */
export function keyringMasterKey(env: Env, environment: AppConfig['environment']): Buffer {
  const raw = env.VAOPS_KEYRING_MASTER_KEY;
  if (!raw) {
    if (environment === 'production') throw new ConfigError('VAOPS_KEYRING_MASTER_KEY', 'is required in production (32 bytes, base64)');
    return DEV_MASTER_KEY;
  }
  return base64Key('VAOPS_KEYRING_MASTER_KEY', raw);
}

/**
 * The keyring of a service: the MongoDB store in the shared keyring database (VAOPS_KEYRING_URL, default
 * the service's MONGO_URL server; VAOPS_KEYRING_DB, default `vaops_keyring`), keys wrapped under
 * VAOPS_KEYRING_MASTER_KEY. `close` ends its connection.
 */
export async function connectPersonKeys(config: Pick<AppConfig, 'mongoUrl' | 'environment'>, env: Env = process.env): Promise<{ keys: PersonKeys; store: MongoPersonKeyStore; close: () => Promise<void> }> {
  const conn: Connection = await connectMongo(env.VAOPS_KEYRING_URL ?? config.mongoUrl, env.VAOPS_KEYRING_DB ?? DEFAULT_KEYRING_DB);
  const store = new MongoPersonKeyStore(() => conn.db as unknown as Db);
  const keys = new PersonKeys(store, { masterKey: keyringMasterKey(env, config.environment), previousMasterKeys: keyringPreviousMasterKeys(env) });
  return { keys, store, close: () => conn.close() };
}
