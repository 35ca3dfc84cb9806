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

export const shadowName = (name: string): string => `${name}__rebuild`;

export function shadowStore(db: Db): ReadModelStore {
  return { collection: <T extends Document>(name: string) => db.collection<T>(shadowName(name)) };
}

export async function ensureIndexes(def: ProjectionDefinition, store: ReadModelStore): Promise<void> {
  for (const [name, spec] of Object.entries(def.collections)) {
    for (const idx of spec.indexes ?? []) {
      await store.collection(name).createIndex(idx.key, { unique: idx.unique ?? false });
    }
  }
}
