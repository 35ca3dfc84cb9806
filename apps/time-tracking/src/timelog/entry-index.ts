import { Injectable } from '@nestjs/common';
import { insertOnce } from '@vaops/mongo';
import { streamIndex, type Principal, type StreamIndexDoc } from '@vaops/platform';
import { TimelogErrors } from './timelog.errors';

/**
 * Which timelog an entry lives in, written before the entry is appended so that writes on
 * `/time-entries/:id` find their stream at once (an entry that was refused points at nothing).
 */
const ENTRY_INDEX = 'time_entry_index';

export interface EntryIndexDoc extends StreamIndexDoc {
  assistantId: string;
}

/** The entry index: written by the routes that make an entry (not a projection). */
@Injectable()
export class EntryIndex extends streamIndex<EntryIndexDoc>(ENTRY_INDEX) {
  /** Idempotent: a retried request (after a crash) makes the same entry id and finds its index entry written. */
  async add(entryId: string, assistantId: string, agencyId: string): Promise<void> {
    await insertOnce(this.collection, [{ _id: entryId, assistantId, agencyId }]);
  }

  /** The timelog stream an entry lives in, if the caller's agency owns it; else 404. */
  streamOf(entryId: string, p: Principal): Promise<EntryIndexDoc> {
    return this.visibleEntry(
      entryId,
      p,
      (idx) => (p.role === 'assistant' ? idx.assistantId === p.assistantId : p.role !== 'client'),
      () => TimelogErrors.entryNotFound(`time entry ${entryId} not found`),
    );
  }
}
