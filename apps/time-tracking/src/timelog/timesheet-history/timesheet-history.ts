import type { ApprovedEntryV1, PersonalData, TimeEntryValuesV2 } from '@vaops/contracts';
import { upTo, type HistoryItem } from '@vaops/platform';
import type { EntryStatus } from '../timelog';
import type { EngagementPartiesDoc } from '@vaops/facts';

/** One change of a week as its history keeps it: the item, and the timelog stream version it came from. */
/** A rejection's or an adjustment's reason stays encrypted under the engagement's key (as the entries' notes in `changes`). */
export interface WeekHistoryEntry extends HistoryItem<PersonalData> {
  v: number;
  /** For an entry corrected into this week from another: its version before the correction. */
  carried?: number;
}

/** `_id` is `<engagementId>_<isoWeek>`: every change of the week's entries and review, in order. */
/** `_v`: the timelog stream's version (the stream holds every entry and week of the assistant). */
export interface TimesheetHistoryDoc extends EngagementPartiesDoc {
  isoWeek: string;
  items: WeekHistoryEntry[];
}

/** The fields that only say whose week it is: kept on the document, not in each change. */
export const WEEK_IDENTITY = ['engagementId', 'assistantId', 'clientId'] as const;

/** Changes to entries (shown to a client only as the week's entries are: once it is approved). */
export const ENTRY_CHANGES = new Set(['TimeEntryLogged', 'TimeEntryCorrected', 'TimeEntryAdjusted']);

export interface WeekEntry extends TimeEntryValuesV2 {
  id: string;
  engagementId: string;
  status: EntryStatus;
  adjusts: string | null;
  supersededBy: string | null;
  version: number;
}

export interface WeekAt {
  status: 'open' | 'submitted' | 'approved' | 'rejected';
  version: number;
  /**
   * Every entry of the week, by start then id: an adjusted entry too (marked `supersededBy`), since an
   * adjusting entry carries only the signed difference and both are billed.
   */
  entries: WeekEntry[];
}

const END_OF_TIME = new Date(8.64e15);

type EntryValues = TimeEntryValuesV2 & { entryId: string };

const values = (c: EntryValues): TimeEntryValuesV2 => ({
  category: c.category,
  startedAt: c.startedAt,
  endedAt: c.endedAt,
  actualMinutes: c.actualMinutes,
  billedMinutes: c.billedMinutes,
  billable: c.billable,
  notes: c.notes,
  isoWeek: c.isoWeek,
  month: c.month,
  rounding: c.rounding,
});

/**
 * The week as it stood at `asOf`, folded from its changes up to that instant the way the entries read
 * model applies them (its review status and version, its current entries): null when nothing had
 * happened in it yet. An entry corrected into another week leaves this one; one corrected into it
 * arrives with the version it had there.
 */
export function weekAt(doc: TimesheetHistoryDoc, asOf: Date = END_OF_TIME): WeekAt | null {
  const items = upTo(doc.items, asOf, (i) => i.at);
  if (items.length === 0) return null;
  const entries = new Map<string, WeekEntry>();
  let status: WeekAt['status'] = 'open';
  let version = 0;
  const mark = (ids: string[], to: EntryStatus) => {
    for (const id of ids) {
      const e = entries.get(id);
      if (e) entries.set(id, { ...e, status: to, version: e.version + 1 });
    }
  };
  for (const i of items) {
    const here = i.changes.isoWeek === doc.isoWeek;
    switch (i.type) {
      case 'TimeEntryLogged': {
        const c = i.changes as unknown as EntryValues;
        if (here) entries.set(c.entryId, { id: c.entryId, engagementId: doc.engagementId, ...values(c), status: 'open', adjusts: null, supersededBy: null, version: 1 });
        break;
      }
      case 'TimeEntryCorrected': {
        const c = i.changes as unknown as EntryValues;
        const before = entries.get(c.entryId);
        if (!here) entries.delete(c.entryId);
        else entries.set(c.entryId, { id: c.entryId, engagementId: doc.engagementId, adjusts: null, supersededBy: null, ...before, ...values(c), status: 'open', version: (before?.version ?? i.carried ?? 0) + 1 });
        break;
      }
      case 'TimeEntryAdjusted': {
        const c = i.changes as unknown as EntryValues & { adjusts: string };
        if (here) entries.set(c.entryId, { id: c.entryId, engagementId: doc.engagementId, ...values(c), status: 'open', adjusts: c.adjusts, supersededBy: null, version: 1 });
        const adjusted = entries.get(c.adjusts);
        if (adjusted) entries.set(c.adjusts, { ...adjusted, supersededBy: c.entryId });
        break;
      }
      case 'TimesheetSubmitted':
        mark(i.changes.entryIds as string[], 'submitted');
        status = 'submitted';
        version++;
        break;
      case 'TimesheetApproved':
        mark((i.changes.entries as ApprovedEntryV1[]).map((x) => x.entryId), 'approved');
        status = 'approved';
        version++;
        break;
      case 'TimesheetRejected':
        mark(i.changes.entryIds as string[], 'rejected');
        status = 'rejected';
        version++;
        break;
      default:
        break;
    }
  }
  const all = [...entries.values()].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1));
  return { status, version, entries: all };
}
