import { Controller, Injectable } from '@nestjs/common';
import {
  Topics,
  type EventEnvelope,
  type PublicEvent,
  type TimeEntryLoggedV2,
  type TimesheetApprovedV1,
  type TimesheetRejectedV2,
  type TimesheetSubmittedV1,
} from '@vaops/contracts';
import { ProjectionHandler, findPage, collectionOf, readModelFor, type ProjectionSpec } from '@vaops/platform';
import { applyIfNewer, type ReadModelStore } from '@vaops/projections';
import type { Filter } from 'mongodb';
import type { EntryStatus } from '../timelog';
import type { EngagementPartiesDoc } from '@vaops/facts';

export const ENTRIES_PROJECTION = 'time-tracking.entries';
const ENTRIES = 'time_entries';
const TIMESHEETS = 'timesheets';

/** `notes` as they came: encrypted under the engagement's key (decrypted when a route answers). */
export interface EntryDoc extends Omit<TimeEntryLoggedV2, 'entryId' | 'source'> {
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
export interface TimesheetDoc extends EngagementPartiesDoc {
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

const sheet = async (store: ReadModelStore, e: EventEnvelope, d: TimesheetSubmittedV1 | TimesheetRejectedV2 | TimesheetApprovedV1, status: TimesheetDoc['status']) =>
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

// ---- the read models: the queries time-tracking's routes make of this projection

/** Which entries a caller may see (an assistant's own, a client's approved time), as a filter. */
export type EntryScope = Filter<EntryDoc>;

export interface EntriesPageQuery {
  engagementId?: string;
  /** Entries starting at or after this instant. */
  from?: string;
  /** Entries starting before this instant. */
  to?: string;
  /** The last entry of the previous page: its `startedAt` and id. */
  after?: [string, string];
}

/** Time entries, by start then id. */
@Injectable()
export class TimeEntries extends readModelFor(ENTRIES_PROJECTION, { entries: collectionOf<EntryDoc>(ENTRIES) }) {
  /** One entry, if the scope holds it. */
  byId(id: string, scope: EntryScope): Promise<EntryDoc | null> {
    return this.collections.entries.findOne({ _id: id, ...scope } as Filter<EntryDoc>);
  }

  /** A page of the scope's entries in start order: `limit + 1` rows, the extra one saying there is more. */
  page(scope: EntryScope, q: EntriesPageQuery, limit: number): Promise<EntryDoc[]> {
    const filter: Filter<EntryDoc> = { ...scope, ...(q.engagementId ? { engagementId: q.engagementId } : {}) };
    const startedAt: Record<string, string> = {};
    if (q.from) startedAt.$gte = new Date(q.from).toISOString();
    if (q.to) startedAt.$lt = new Date(q.to).toISOString();
    const and: Filter<EntryDoc>[] = [];
    if (Object.keys(startedAt).length > 0) and.push({ startedAt });
    if (and.length > 0) filter.$and = and;
    return findPage(this.collections.entries, filter, 'startedAt', q.after, limit);
  }

  /** The engagement's billable entries of a month (every status, adjustments included). */
  billableInMonth(agencyId: string, engagementId: string, month: string): Promise<EntryDoc[]> {
    return this.collections.entries.find({ agencyId, engagementId, month, billable: true }).toArray();
  }

  /**
   * The engagement's entries of an ISO week in start order, adjusted ones included (`supersededBy` says by
   * which): an adjusting entry carries only the signed difference, so the week's billed time is the sum of all.
   */
  inWeek(agencyId: string, engagementId: string, isoWeek: string): Promise<EntryDoc[]> {
    return this.collections.entries.find({ agencyId, engagementId, isoWeek }).sort({ startedAt: 1, _id: 1 }).toArray();
  }
}

export interface TimesheetsPageQuery {
  isoWeek?: string;
  status?: TimesheetDoc['status'];
  /** Only this assistant's weeks (an assistant's own). */
  assistantId?: string;
  /** Only this client's weeks (a client's own). */
  clientId?: string;
  /** The id of the last week of the previous page. */
  after?: string;
}

/** Weekly timesheets (weeks submitted at least once), by id. */
@Injectable()
export class Timesheets extends readModelFor(ENTRIES_PROJECTION, { sheets: collectionOf<TimesheetDoc>(TIMESHEETS) }) {
  /** The week's timesheet, or null while it was never submitted. */
  byWeek(engagementId: string, isoWeek: string): Promise<TimesheetDoc | null> {
    return this.collections.sheets.findOne({ _id: timesheetId(engagementId, isoWeek) });
  }

  /** A page of the agency's timesheets in id order: `limit + 1` rows, the extra one saying there is more. */
  page(agencyId: string, q: TimesheetsPageQuery, limit: number): Promise<TimesheetDoc[]> {
    const filter: Filter<TimesheetDoc> = { agencyId };
    if (q.isoWeek) filter.isoWeek = q.isoWeek;
    if (q.status) filter.status = q.status;
    if (q.assistantId !== undefined) filter.assistantId = q.assistantId;
    if (q.clientId !== undefined) filter.clientId = q.clientId;
    if (q.after) filter._id = { $gt: q.after };
    return this.collections.sheets.find(filter).sort({ _id: 1 }).limit(limit + 1).toArray();
  }

  /** The agency's weeks of an ISO week awaiting review. */
  submittedInWeek(agencyId: string, isoWeek: string): Promise<TimesheetDoc[]> {
    return this.collections.sheets.find({ agencyId, isoWeek, status: 'submitted' }).toArray();
  }
}
