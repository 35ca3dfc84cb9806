import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Filter } from 'mongodb';
import type { Principal } from '../auth/principal';
import { ownedCollection } from './read-model';

/** An entry of a stream index: the id of what a stream holds (appointment, entry, invoice), and whose agency it is. */
export interface StreamIndexDoc {
  _id: string;
  agencyId: string;
}

/**
 * The base of a service's injectable stream index over collection `name`: which stream holds an id (which
 * calendar an appointment, which timelog an entry), written by the commands that make the id, not by a
 * projection, so that a write on `/<things>/:id` finds its stream at once. Entries are looked up by id
 * within the caller's agency (indexed by agency, created at start); the writes and reads are the
 * subclass's methods.
 */
export function streamIndex<T extends StreamIndexDoc>(name: string) {
  @Injectable()
  abstract class StreamIndex extends ownedCollection<T>(name) implements OnApplicationBootstrap {
    /** After every module's init, so the runtime has opened its database. */
    async onApplicationBootstrap(): Promise<void> {
      await this.collection.createIndex({ agencyId: 1 });
    }

    /** The entry of `id` if it is the caller's agency's and `maySee` lets the caller see it; else throws `notFound()`. */
    protected async visibleEntry(id: string, p: Principal, maySee: (entry: T) => boolean, notFound: () => Error): Promise<T> {
      const entry = (await this.collection.findOne({ _id: id } as Filter<T>)) as T | null;
      if (!entry || entry.agencyId !== p.agencyId || !maySee(entry)) throw notFound();
      return entry;
    }
  }
  return StreamIndex;
}
