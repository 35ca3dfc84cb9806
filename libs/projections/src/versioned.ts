import type { Collection, Document } from 'mongodb';
import { isDuplicateKey } from '@vaops/mongo';

export type VersionedResult = 'applied' | 'duplicate';

export class OutOfOrderEventError extends Error {}

/**
 * Applies an event of stream version `version` to the document of that stream, exactly once:
 * the document keeps the version it last applied in `_v`. An event at or below it is a duplicate and
 * changes nothing; an event that skips a version is refused (retried, then dead-lettered), because a
 * gap means an event went missing.
 */
export async function applyVersioned(
  coll: Collection<Document>,
  id: string,
  version: number,
  update: { $set?: Record<string, unknown> } & Document,
): Promise<VersionedResult> {
  const withVersion = { ...update, $set: { ...(update.$set ?? {}), _v: version } };
  if (version === 1) {
    try {
      await coll.insertOne({ _id: id as never, _v: 0 });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  const r = await coll.updateOne({ _id: id, _v: version - 1 } as never, withVersion);
  if (r.matchedCount === 1) return 'applied';
  const doc = await coll.findOne({ _id: id } as never, { projection: { _v: 1 } });
  const current = (doc as { _v?: number } | null)?._v ?? 0;
  if (current >= version) return 'duplicate';
  throw new OutOfOrderEventError(`${coll.collectionName}/${id} is at version ${current}; event version ${version} skips ahead`);
}

/**
 * For read models that take only some event types of a stream (another service's stream, say): the
 * skipped types leave version gaps by design, so an event applies when it is newer than the last one
 * applied and is a duplicate otherwise. Kafka keeps a stream's events in order, so newer is enough.
 */
export async function applyIfNewer(
  coll: Collection<Document>,
  id: string,
  version: number,
  update: { $set?: Record<string, unknown> } & Document,
): Promise<VersionedResult> {
  const withVersion = { ...update, $set: { ...(update.$set ?? {}), _v: version } };
  try {
    await coll.insertOne({ _id: id as never, _v: 0 });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const r = await coll.updateOne({ _id: id, _v: { $lt: version } } as never, withVersion);
  return r.matchedCount === 1 ? 'applied' : 'duplicate';
}
