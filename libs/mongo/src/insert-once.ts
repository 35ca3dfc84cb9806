import { isDeepStrictEqual } from 'node:util';
import type { Collection, Filter, OptionalUnlessRequiredId } from 'mongodb';
import { isDuplicateKey } from './connection';

/**
 * Inserts documents a retried request may have inserted already (an index written before a command,
 * under ids the retry makes again): an `_id` that holds the same document is done, one that holds
 * anything else is the duplicate-key error it was.
 */
export async function insertOnce<T extends { _id: string }>(collection: Collection<T>, docs: T[]): Promise<void> {
  try {
    await collection.insertMany(docs as OptionalUnlessRequiredId<T>[], { ordered: false });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const stored = await collection.find({ _id: { $in: docs.map((d) => d._id) } } as Filter<T>).toArray();
    const byId = new Map<unknown, object>(stored.map((d) => [d._id, d]));
    if (!docs.every((d) => isDeepStrictEqual({ ...byId.get(d._id) }, { ...d }))) throw err;
  }
}
