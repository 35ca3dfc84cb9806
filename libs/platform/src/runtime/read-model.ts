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

/**
 * A projection's typed reader: owns the projection's name and its collections' names, and offers the
 * queries the routes and schedulers of its service make. A service declares one injectable class per
 * read model with `readModelFor`:
 * `@Injectable() export class Appointments extends readModelFor(APPOINTMENTS_PROJECTION) { byId(id) {…} }`.
 */
export abstract class ReadModel {
  protected constructor(
    private readonly runtime: EventSourcedRuntime,
    /** The projection that writes it (its name, as its checkpoints and `?minPosition=` know it). */
    readonly projection: string,
  ) {}

  /**
   * Asked at each use, not kept: Nest builds read models before the runtime starts and opens its
   * database, so a port taken in the constructor would hold no database.
   */
  private get port(): ReadModelPort {
    return this.runtime[READ_MODELS];
  }

  /** Read-your-writes for `?minPosition=`: resolves once the projection has applied that position. */
  waitFor(minPosition: number | undefined): Promise<void> {
    return this.port.waitForProjection(this.projection, minPosition);
  }

  /** One of this read model's collections, typed. */
  protected collection<T extends Document>(name: string): Collection<T> {
    return this.port.db.collection<T>(name);
  }

  /** The database, for a kit's readers that take it (libs/facts). */
  protected get db(): Db {
    return this.port.db;
  }
}

/** The base of a service's injectable read model of `projection` (its queries are the subclass's methods). */
export function readModelFor(projection: string): abstract new (runtime: EventSourcedRuntime) => ReadModel {
  @Injectable()
  abstract class Bound extends ReadModel {
    constructor(@Inject(RUNTIME) runtime: EventSourcedRuntime) {
      super(runtime, projection);
    }
  }
  return Bound;
}
