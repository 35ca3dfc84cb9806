import { Controller, Injectable } from '@nestjs/common';
import { Topics, type PersonalData, type PublicEvent } from '@vaops/contracts';
import { ProjectionHandler, historyItem, collectionOf, readModelFor, type ProjectionSpec } from '@vaops/platform';
import { applyIfNewer, type ReadModelStore } from '@vaops/projections';
import { timesheetId } from '../entries/entries.projection';
import { WEEK_IDENTITY, weekAt, type TimesheetHistoryDoc, type WeekHistoryEntry } from './timesheet-history';

const TIMESHEET_HISTORY_PROJECTION = 'time-tracking.timesheet-history';
const TIMESHEET_HISTORY = 'timesheet_history';
/** Which weeks an entry was in, by the stream version that put it there: where a correction or an adjustment takes it from. */
const ENTRY_WEEKS = 'timesheet_history_entry_weeks';

interface EntryWeeksDoc {
  _id: string;
  _v: number;
  weeks: { v: number; isoWeek: string }[];
}

type WeekEvent = PublicEvent<'TimeEntryLogged' | 'TimeEntryCorrected' | 'TimeEntryAdjusted' | 'TimesheetSubmitted' | 'TimesheetApproved' | 'TimesheetRejected'>;

/**
 * One document per engagement and ISO week with each change of its entries and its review (who, when,
 * why, correlation id, the fields set), so a week's history and its state at an instant never read the
 * assistant's timelog stream, which holds years of every entry. Keyed by the timelog stream's version:
 * an event at or below the last one applied is a duplicate, so redeliveries and rebuilds give the same
 * documents.
 */
async function record(store: ReadModelStore, e: WeekEvent, isoWeek: string, carried?: number): Promise<void> {
  const { engagementId, assistantId, clientId } = e.data;
  // the reason stays encrypted as it came; a route decrypts it when it answers
  const item: WeekHistoryEntry = { ...historyItem<PersonalData>(e, WEEK_IDENTITY), v: e.version, ...(carried !== undefined ? { carried } : {}) };
  await applyIfNewer(store.collection(TIMESHEET_HISTORY), timesheetId(engagementId, isoWeek), e.version, {
    $set: { agencyId: e.metadata.agencyId, engagementId, assistantId, clientId, isoWeek },
    $push: { items: item },
  });
}

/** The entry's version in the week it leaves (what it arrives with in its new week), from that week's changes so far. */
async function versionIn(store: ReadModelStore, engagementId: string, isoWeek: string, entryId: string): Promise<number | undefined> {
  const doc = await store.collection<TimesheetHistoryDoc>(TIMESHEET_HISTORY).findOne({ _id: timesheetId(engagementId, isoWeek) });
  return doc ? weekAt(doc)?.entries.find((x) => x.id === entryId)?.version : undefined;
}

/** The week the entry was in before stream version `before` (null: none recorded). */
async function weekOf(store: ReadModelStore, entryId: string, before: number): Promise<string | null> {
  const doc = await store.collection<EntryWeeksDoc>(ENTRY_WEEKS).findOne({ _id: entryId });
  const earlier = (doc?.weeks ?? []).filter((w) => w.v < before);
  return earlier.length > 0 ? earlier[earlier.length - 1].isoWeek : null;
}

async function place(store: ReadModelStore, e: WeekEvent, entryId: string, isoWeek: string): Promise<void> {
  await applyIfNewer(store.collection(ENTRY_WEEKS), entryId, e.version, { $push: { weeks: { v: e.version, isoWeek } } });
}

export const timesheetHistorySpec: ProjectionSpec = {
  name: TIMESHEET_HISTORY_PROJECTION,
  topics: [Topics.timeTracking],
  collections: { [TIMESHEET_HISTORY]: {}, [ENTRY_WEEKS]: {} },
};

@Controller()
export class TimesheetHistoryProjection {
  @ProjectionHandler(timesheetHistorySpec, 'TimeEntryLogged')
  async onTimeEntryLogged(e: PublicEvent<'TimeEntryLogged'>, store: ReadModelStore): Promise<void> {
    await record(store, e, e.data.isoWeek);
    await place(store, e, e.data.entryId, e.data.isoWeek);
  }

  /** A correction into another week is a change of both: the entry leaves one and joins the other. */
  @ProjectionHandler(timesheetHistorySpec, 'TimeEntryCorrected')
  async onTimeEntryCorrected(e: PublicEvent<'TimeEntryCorrected'>, store: ReadModelStore): Promise<void> {
    const before = await weekOf(store, e.data.entryId, e.version);
    if (before !== null && before !== e.data.isoWeek) {
      const carried = await versionIn(store, e.data.engagementId, before, e.data.entryId);
      await record(store, e, before);
      await record(store, e, e.data.isoWeek, carried);
    } else await record(store, e, e.data.isoWeek);
    await place(store, e, e.data.entryId, e.data.isoWeek);
  }

  /** The adjusting entry joins its week; the week of the entry it adjusts learns that it is superseded. */
  @ProjectionHandler(timesheetHistorySpec, 'TimeEntryAdjusted')
  async onTimeEntryAdjusted(e: PublicEvent<'TimeEntryAdjusted'>, store: ReadModelStore): Promise<void> {
    const adjusted = await weekOf(store, e.data.adjusts, e.version);
    if (adjusted !== null && adjusted !== e.data.isoWeek) await record(store, e, adjusted);
    await record(store, e, e.data.isoWeek);
    await place(store, e, e.data.entryId, e.data.isoWeek);
  }

  /** A review changes the week it names, and no entry's week. */
  @ProjectionHandler(timesheetHistorySpec, 'TimesheetSubmitted', 'TimesheetApproved', 'TimesheetRejected')
  async onTimesheetReviewed(e: PublicEvent<'TimesheetSubmitted' | 'TimesheetApproved' | 'TimesheetRejected'>, store: ReadModelStore): Promise<void> {
    await record(store, e, e.data.isoWeek);
  }
}

/** A week's changes, by engagement and week (a point read). */
@Injectable()
export class TimesheetHistory extends readModelFor(TIMESHEET_HISTORY_PROJECTION, { history: collectionOf<TimesheetHistoryDoc>(TIMESHEET_HISTORY) }) {
  byWeek(agencyId: string, engagementId: string, isoWeek: string): Promise<TimesheetHistoryDoc | null> {
    return this.collections.history.findOne({ _id: timesheetId(engagementId, isoWeek), agencyId });
  }
}
