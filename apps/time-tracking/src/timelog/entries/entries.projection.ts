import { Controller } from '@nestjs/common';
import {
  Topics,
  type EventEnvelope,
  type PublicEvent,
  type TimeEntryLoggedV1,
  type TimesheetApprovedV1,
  type TimesheetRejectedV1,
  type TimesheetSubmittedV1,
} from '@vaops/contracts';
import { ProjectionHandler, type ProjectionSpec } from '@vaops/platform';
import { applyIfNewer, type ReadModelStore } from '@vaops/projections';
import type { EntryStatus } from '../timelog';

export const ENTRIES_PROJECTION = 'time-tracking.entries';
export const ENTRIES = 'time_entries';
export const TIMESHEETS = 'timesheets';

export interface EntryDoc extends Omit<TimeEntryLoggedV1, 'entryId' | 'source'> {
  _id: string;
  /** Version of the timelog stream last applied (the stream holds every entry of the assistant). */
  _v: number;
  agencyId: string;
  status: EntryStatus;
  adjusts: string | null;
  supersededBy: string | null;
  /** Events of this entry: what ETag and If-Match carry. */
  version: number;
}

/** `_id` is `<engagementId>_<isoWeek>`: the week's review state, for bulk approval. */
export interface TimesheetDoc {
  _id: string;
  _v: number;
  agencyId: string;
  engagementId: string;
  assistantId: string;
  clientId: string;
  isoWeek: string;
  status: 'submitted' | 'approved' | 'rejected';
  /** One per submit, approve or reject: the week's version in the timelog (its ETag). */
  version: number;
}

export const timesheetId = (engagementId: string, isoWeek: string): string => `${engagementId}_${isoWeek}`;

type Update = { $set?: Record<string, unknown>; $inc?: Record<string, number> };

// A timelog stream carries many entries, so one entry's document sees gaps in the stream versions
// by design: applied when newer, a duplicate otherwise.
const apply = (store: ReadModelStore, e: EventEnvelope, id: string, update: Update) => applyIfNewer(store.collection(ENTRIES), id, e.version, update);

const setStatus = async (store: ReadModelStore, e: EventEnvelope, ids: string[], status: EntryStatus) => {
  for (const id of ids) await apply(store, e, id, { $set: { status }, $inc: { version: 1 } });
};

const sheet = async (store: ReadModelStore, e: EventEnvelope, d: TimesheetSubmittedV1 | TimesheetRejectedV1 | TimesheetApprovedV1, status: TimesheetDoc['status']) =>
  applyIfNewer(store.collection(TIMESHEETS), timesheetId(d.engagementId, d.isoWeek), e.version, {
    $set: { agencyId: e.metadata.agencyId, engagementId: d.engagementId, assistantId: d.assistantId, clientId: d.clientId, isoWeek: d.isoWeek, status },
    $inc: { version: 1 },
  });

export const entriesSpec: ProjectionSpec = {
  name: ENTRIES_PROJECTION,
  topics: [Topics.timeTracking],
  collections: {
    [ENTRIES]: { indexes: [{ key: { agencyId: 1, engagementId: 1, startedAt: 1 } }, { key: { agencyId: 1, assistantId: 1, startedAt: 1 } }, { key: { engagementId: 1, month: 1 } }, { key: { engagementId: 1, isoWeek: 1 } }] },
    [TIMESHEETS]: { indexes: [{ key: { agencyId: 1, isoWeek: 1, status: 1 } }] },
  },
};

@Controller()
export class EntriesProjection {
  @ProjectionHandler(entriesSpec, 'TimeEntryLogged')
  async onTimeEntryLogged(e: PublicEvent<'TimeEntryLogged'>, store: ReadModelStore): Promise<void> {
    const { entryId, source: _source, ...d } = e.data;
    await apply(store, e, entryId, { $set: { ...d, agencyId: e.metadata.agencyId, status: 'open', adjusts: null, supersededBy: null, version: 1 } });
  }

  @ProjectionHandler(entriesSpec, 'TimeEntryCorrected')
  async onTimeEntryCorrected(e: PublicEvent<'TimeEntryCorrected'>, store: ReadModelStore): Promise<void> {
    const { entryId, ...d } = e.data;
    await apply(store, e, entryId, { $set: { ...d, status: 'open' }, $inc: { version: 1 } });
  }

  @ProjectionHandler(entriesSpec, 'TimeEntryAdjusted')
  async onTimeEntryAdjusted(e: PublicEvent<'TimeEntryAdjusted'>, store: ReadModelStore): Promise<void> {
    const { entryId, reason: _reason, ...d } = e.data;
    await apply(store, e, entryId, { $set: { ...d, agencyId: e.metadata.agencyId, status: 'open', supersededBy: null, version: 1 } });
    await apply(store, e, d.adjusts, { $set: { supersededBy: entryId } });
  }

  @ProjectionHandler(entriesSpec, 'TimesheetSubmitted')
  async onTimesheetSubmitted(e: PublicEvent<'TimesheetSubmitted'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await setStatus(store, e, d.entryIds, 'submitted');
    await sheet(store, e, d, 'submitted');
  }

  @ProjectionHandler(entriesSpec, 'TimesheetApproved')
  async onTimesheetApproved(e: PublicEvent<'TimesheetApproved'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await setStatus(
      store,
      e,
      d.entries.map((x) => x.entryId),
      'approved',
    );
    await sheet(store, e, d, 'approved');
  }

  @ProjectionHandler(entriesSpec, 'TimesheetRejected')
  async onTimesheetRejected(e: PublicEvent<'TimesheetRejected'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await setStatus(store, e, d.entryIds, 'rejected');
    await sheet(store, e, d, 'rejected');
  }
}
