import type { Collection, Db, Document, IndexSpecification } from 'mongodb';
import type { EventEnvelope } from '@vaops/contracts';

/** Resolves a projection's logical collection names to physical ones: live, or the rebuild's shadow. */
export interface ReadModelStore {
  collection<T extends Document = Document>(logicalName: string): Collection<T>;
}

export type ProjectionHandler = (event: EventEnvelope, store: ReadModelStore) => Promise<void>;

/**
 * A read model fed from the event stream. Every handler must be idempotent (the same event twice
 * changes nothing) and deterministic (only the event decides what is written, never the clock),
 * so a rebuild from offset zero equals the live read model document for document.
 */
export interface ProjectionDefinition {
  name: string;
  topics: string[];
  collections: Record<string, { indexes?: { key: IndexSpecification; unique?: boolean }[] }>;
  handlers: Partial<Record<string, ProjectionHandler>>;
}

export function liveStore(db: Db): ReadModelStore {
  return { collection: <T extends Document>(name: string) => db.collection<T>(name) };
}

/** Prefix of every shadow collection of a read model collection (one per rebuild run). */
export const shadowPrefix = (name: string): string => `${name}__rebuild`;

/**
 * A rebuild run's shadow of a collection. Each run has its own name: FerretDB v1 (SQLite) names a
 * collection's table and indexes after the collection's name and keeps them through a rename, so a
 * reused shadow name can collide with the indexes of the collection an earlier run swapped in.
 */
export const shadowName = (name: string, run: string): string => `${shadowPrefix(name)}_${run}`;

export function shadowStore(db: Db, run: string): ReadModelStore {
  return { collection: <T extends Document>(name: string) => db.collection<T>(shadowName(name, run)) };
}

export async function ensureIndexes(def: ProjectionDefinition, store: ReadModelStore): Promise<void> {
  for (const [name, spec] of Object.entries(def.collections)) {
    for (const idx of spec.indexes ?? []) {
      await store.collection(name).createIndex(idx.key, { unique: idx.unique ?? false });
    }
  }
}
