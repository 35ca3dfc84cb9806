import { Controller, Injectable } from '@nestjs/common';
import { Topics, type PublicEvent, type TimeEntryAdjustedV2, type TimeEntryCorrectedV2, type TimeEntryLoggedV2 } from '@vaops/contracts';
import { ProjectionHandler, collectionOf, readModelFor, type ProjectionSpec } from '@vaops/platform';
import { approvedEntries } from '@vaops/facts';
import { applyIfNewer, type ReadModelStore } from '@vaops/projections';
import type { EngagementWorkDoc } from './engagement-work';

/**
 * Time, from the time-tracking topic (stream `timelog-<assistantId>`, many entries per stream, so each
 * entry's document keeps the last stream version applied):
 * - `an_logged_entries`: every logged entry as it stands now, approved or not, billable or not. A
 *   correction replaces the entry's values (its week may change); an adjusting entry is its own
 *   document with the signed difference, in its own week.
 * - `an_approved_entries`: what timesheet approvals locked, the way billing reads it (billable minutes,
 *   signed adjustments, the month in the agency's zone).
 */
export const TIME = 'analytics.time';
const LOGGED = 'an_logged_entries';
const APPROVED = 'an_approved_entries';

export interface LoggedEntryDoc extends EngagementWorkDoc {
  /** ISO week in the assistant's zone. */
  isoWeek: string;
  actualMinutes: number;
  /** The entry an adjusting entry adjusts; null for an ordinary entry. */
  adjusts: string | null;
}

export interface ApprovedEntryDoc extends EngagementWorkDoc {
  /** YYYY-MM in the agency's zone: the period the time is billed and paid in. */
  month: string;
  /** Signed; 0 when not billable. */
  billedMinutes: number;
  billable: boolean;
}

const logged = (d: TimeEntryLoggedV2 | TimeEntryCorrectedV2 | TimeEntryAdjustedV2, agencyId: string) => ({
  agencyId,
  assistantId: d.assistantId,
  clientId: d.clientId,
  engagementId: d.engagementId,
  isoWeek: d.isoWeek,
  actualMinutes: d.actualMinutes,
});

export const timeSpec: ProjectionSpec = {
  name: TIME,
  topics: [Topics.timeTracking],
  collections: {
    [LOGGED]: { indexes: [{ key: { agencyId: 1, isoWeek: 1 } }] },
    [APPROVED]: { indexes: [{ key: { agencyId: 1, clientId: 1, month: 1 } }, { key: { agencyId: 1, assistantId: 1, month: 1 } }] },
  },
};

@Controller()
export class TimeProjection {
  @ProjectionHandler(timeSpec, 'TimeEntryLogged')
  async onTimeEntryLogged(e: PublicEvent<'TimeEntryLogged'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await applyIfNewer(store.collection(LOGGED), d.entryId, e.version, { $set: { ...logged(d, e.metadata.agencyId), adjusts: null } });
  }

  @ProjectionHandler(timeSpec, 'TimeEntryCorrected')
  async onTimeEntryCorrected(e: PublicEvent<'TimeEntryCorrected'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await applyIfNewer(store.collection(LOGGED), d.entryId, e.version, { $set: logged(d, e.metadata.agencyId) });
  }

  @ProjectionHandler(timeSpec, 'TimeEntryAdjusted')
  async onTimeEntryAdjusted(e: PublicEvent<'TimeEntryAdjusted'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await applyIfNewer(store.collection(LOGGED), d.entryId, e.version, { $set: { ...logged(d, e.metadata.agencyId), adjusts: d.adjusts } });
  }

  @ProjectionHandler(timeSpec, 'TimesheetApproved')
  async onTimesheetApproved(e: PublicEvent<'TimesheetApproved'>, store: ReadModelStore): Promise<void> {
    for (const x of approvedEntries(e)) await applyIfNewer(store.collection(APPROVED), x.entryId, e.version, { $set: x.$set });
  }
}

/** Logged and approved time, as analytics' routes read it. */
@Injectable()
export class TimeFacts extends readModelFor(TIME, { logged: collectionOf<LoggedEntryDoc>(LOGGED), approved: collectionOf<ApprovedEntryDoc>(APPROVED) }) {
  /** What the assistants logged in the ISO week (their zones' weeks). */
  loggedInWeek(agencyId: string, isoWeek: string, assistantIds: string[]): Promise<LoggedEntryDoc[]> {
    return this.collections.logged.find({ agencyId, isoWeek, assistantId: { $in: assistantIds } }).toArray();
  }

  /** The client's approved time billed in these months. */
  approvedForClient(agencyId: string, clientId: string, months: string[]): Promise<ApprovedEntryDoc[]> {
    return this.collections.approved.find({ agencyId, clientId, month: { $in: months } }).toArray();
  }

  /** The assistant's approved time paid in these months. */
  approvedForAssistant(agencyId: string, assistantId: string, months: string[]): Promise<ApprovedEntryDoc[]> {
    return this.collections.approved.find({ agencyId, assistantId, month: { $in: months } }).toArray();
  }

  /** The approved time of these assistants paid in these months. */
  approvedForAssistants(agencyId: string, assistantIds: string[], months: string[]): Promise<ApprovedEntryDoc[]> {
    return this.collections.approved.find({ agencyId, assistantId: { $in: assistantIds }, month: { $in: months } }).toArray();
  }
}
