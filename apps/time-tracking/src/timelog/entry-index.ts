import { Injectable } from '@nestjs/common';
import { insertOnce } from '@vaops/mongo';
import { ownedCollection, type Principal } from '@vaops/platform';
import { TimelogErrors } from './timelog.errors';

/**
 * Which timelog an entry lives in, written before the entry is appended so that writes on
 * `/time-entries/:id` find their stream at once (an entry that was refused points at nothing).
 */
const ENTRY_INDEX = 'time_entry_index';

export interface EntryIndexDoc {
  _id: string;
  assistantId: string;
  agencyId: string;
}

/**
 * The entry index: written by the routes that make an entry (not a projection), so it is a port of its
 * own, the one owner of its collection.
 */
@Injectable()
export class EntryIndex extends ownedCollection<EntryIndexDoc>(ENTRY_INDEX) {
  /** At start: entries by agency. */
  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ agencyId: 1 });
  }

  /** Idempotent: a retried request (after a crash) makes the same entry id and finds its index entry written. */
  async add(entryId: string, assistantId: string, agencyId: string): Promise<void> {
    await insertOnce(this.collection, [{ _id: entryId, assistantId, agencyId }]);
  }

  /** The timelog stream an entry lives in, if the caller's agency owns it; else 404. */
  async streamOf(entryId: string, p: Principal): Promise<EntryIndexDoc> {
    const idx = await this.collection.findOne({ _id: entryId });
    if (!idx || idx.agencyId !== p.agencyId || (p.role === 'assistant' && idx.assistantId !== p.assistantId) || p.role === 'client') {
      throw TimelogErrors.entryNotFound(`time entry ${entryId} not found`);
    }
    return idx;
  }
}
