import { createHash } from 'node:crypto';
import type { Collection, Document } from 'mongodb';
import { REVISION } from './definition';

/** JSON with sorted keys: equal values, equal strings. */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

/**
 * A hash of every document (key order does not matter, the write revision left out), in _id order:
 * equal hashes, equal read models.
 */
export async function hashCollection(coll: Collection<Document>): Promise<{ hash: string; count: number }> {
  const h = createHash('sha256');
  let count = 0;
  for await (const { [REVISION]: _revision, ...doc } of coll.find({}, { batchSize: 1_000 }).sort({ _id: 1 })) {
    h.update(canonical(doc));
    h.update('\n');
    count++;
  }
  return { hash: h.digest('hex'), count };
}
