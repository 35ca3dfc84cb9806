import type { Collection, Db, Document, IndexSpecification } from 'mongodb';
import type { EventEnvelope } from '@vaops/contracts';

/**
 * A read model document's write revision: every write of a projection batch is conditional on the
 * revision the batch loaded, so two members of a consumer group that briefly both hold a partition (a
 * rebalance) can never put an older document over a newer one. Not part of what a read model says:
 * hashes leave it out, and handlers never see it.
 */
export const REVISION = '_rev';

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
 * A rebuild run's shadow of a collection. Each run has its own name: FerretDB v1 (SQLite) derives a
 * collection's table name from a hash of the collection's name, names its indexes `<table>_<index>`, and
 * keeps both through a rename (it only rewrites its metadata), so the collection a run swapped in still
 * sits on a table named after the shadow. Re-creating a shadow under the same name once failed in CI with
 * "index <table>_agencyId_1__id_1 already exists"; a new name per run never meets an earlier run's tables.
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
