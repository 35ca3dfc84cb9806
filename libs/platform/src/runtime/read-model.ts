import { Inject, Injectable } from '@nestjs/common';
import type { Collection, Db, Document } from 'mongodb';
import { RUNTIME } from '../tokens';
import type { EventSourcedRuntime } from './event-sourced-runtime';

/**
 * The runtime's read-model database, reached by ReadModel classes only (this symbol is not exported
 * from @vaops/platform): controllers and schedulers ask a read model by name for what they need, never a
 * raw collection.
 */
export const READ_MODELS = Symbol('vaops.read-models');

export interface ReadModelPort {
  /** The service's read-model database. */
  readonly db: Db;
  /** Read-your-writes: waits until `projection` reflects the event at `minPosition` (up to 5 s). */
  waitForProjection(projection: string, minPosition: number | undefined): Promise<void>;
}

/** A read model's collection, named once with the type of its documents: `collectionOf<EntryDoc>('tt_entries')`. */
export interface CollectionOf<T extends Document> {
  readonly name: string;
  /** Never set: carries the documents' type. */
  readonly documents?: T;
}

export const collectionOf = <T extends Document>(name: string): CollectionOf<T> => ({ name });

/** The collections a read model declares, by the names its queries use. */
export type CollectionsOf<M> = { readonly [K in keyof M]: M[K] extends CollectionOf<infer T> ? Collection<T> : never };

/**
 * A projection's typed reader: owns the projection's name and its collections' names, and offers the
 * queries the routes and schedulers of its service make. A service declares one injectable class per
 * read model with `readModelFor`, naming its collections once:
 * `@Injectable() export class Appointments extends readModelFor(APPOINTMENTS_PROJECTION, { docs: collectionOf<AppointmentDoc>(APPOINTMENTS) }) { byId(id) { return this.collections.docs.findOne(…) } }`.
 */
export abstract class ReadModel<M extends Record<string, CollectionOf<Document>> = Record<never, never>> {
  private opened?: { db: Db; collections: CollectionsOf<M> };

  protected constructor(
    private readonly source: EventSourcedRuntime,
    /** The projection that writes it (its name, as its checkpoints and `?minPosition=` know it). */
    readonly projection: string,
    private readonly declared: M,
  ) {}

  // asked on each use: the runtime opens its database when the app starts, after providers are built
  private get port(): ReadModelPort {
    return this.source[READ_MODELS];
  }

  /** Read-your-writes for `?minPosition=`: resolves once the projection has applied that position. */
  waitFor(minPosition: number | undefined): Promise<void> {
    return this.port.waitForProjection(this.projection, minPosition);
  }

  /** The collections this read model declared, typed (opened once per database). */
  protected get collections(): CollectionsOf<M> {
    const db = this.port.db;
    if (this.opened?.db !== db) {
      const collections = Object.fromEntries(Object.entries(this.declared).map(([key, c]) => [key, db.collection(c.name)]));
      this.opened = { db, collections: collections as CollectionsOf<M> };
    }
    return this.opened.collections;
  }

  /** The database, for a kit's readers that take it (libs/facts). */
  protected get db(): Db {
    return this.port.db;
  }
}

/** The base of a service's injectable read model of `projection` (its queries are the subclass's methods). */
export function readModelFor<M extends Record<string, CollectionOf<Document>> = Record<never, never>>(
  projection: string,
  collections: M = {} as M,
): abstract new (runtime: EventSourcedRuntime) => ReadModel<M> {
  @Injectable()
  abstract class Bound extends ReadModel<M> {
    constructor(@Inject(RUNTIME) runtime: EventSourcedRuntime) {
      super(runtime, projection, collections);
    }
  }
  return Bound;
}

/**
 * A collection that commands or a scheduler write themselves, not a projection (which stream holds an
 * appointment or an entry, what a scheduler already did): one injectable port owns its name, its reads
 * and its writes. A service declares it with `ownedCollection`:
 * `@Injectable() export class AppointmentIndex extends ownedCollection<AppointmentIndexDoc>('appointment_index') { … }`.
 */
export abstract class OwnedCollection<T extends Document> {
  protected constructor(
    private readonly source: EventSourcedRuntime,
    /** The collection's name, known to this port only. */
    readonly collectionName: string,
  ) {}

  /** The collection, typed (asked on each use: the runtime opens its database when the app starts). */
  protected get collection(): Collection<T> {
    return this.source[READ_MODELS].db.collection<T>(this.collectionName);
  }
}

/** The base of a service's injectable port of a collection it writes itself (its operations are the subclass's methods). */
export function ownedCollection<T extends Document>(name: string): abstract new (runtime: EventSourcedRuntime) => OwnedCollection<T> {
  @Injectable()
  abstract class Bound extends OwnedCollection<T> {
    constructor(@Inject(RUNTIME) runtime: EventSourcedRuntime) {
      super(runtime, name);
    }
  }
  return Bound;
}
