import { Controller, Injectable } from '@nestjs/common';
import { Topics, type PublicEvent } from '@vaops/contracts';
import { ProjectionHandler, collectionOf, readModelFor, type ProjectionSpec } from '@vaops/platform';
import { approvedEntries, type EngagementPartiesDoc } from '@vaops/facts';
import { applyIfNewer, type ReadModelStore } from '@vaops/projections';

/**
 * Approved time, learnt from the time-tracking topic: one document per approved entry (an adjusting entry
 * is its own document with signed minutes, so sums stay true). Only approved time is ever billed or paid.
 */
export const APPROVED_TIME = 'billing.approved-time';
const APPROVED = 'bl_approved_entries';

export interface ApprovedEntryDoc extends EngagementPartiesDoc {
  /** YYYY-MM in the agency's zone: the period the time is billed in. */
  month: string;
  billedMinutes: number;
  billable: boolean;
  adjusts: string | null;
  /** Instant of the approval (event time). */
  approvedAt: string;
}

export const approvedTimeSpec: ProjectionSpec = {
  name: APPROVED_TIME,
  topics: [Topics.timeTracking],
  collections: {
    [APPROVED]: { indexes: [{ key: { agencyId: 1, month: 1 } }, { key: { engagementId: 1, month: 1 } }] },
  },
};

@Controller()
export class ApprovedTimeProjection {
  @ProjectionHandler(approvedTimeSpec, 'TimesheetApproved')
  async onTimesheetApproved(e: PublicEvent<'TimesheetApproved'>, store: ReadModelStore): Promise<void> {
    for (const x of approvedEntries(e)) {
      await applyIfNewer(store.collection(APPROVED), x.entryId, e.version, { $set: { ...x.$set, adjusts: x.adjusts, approvedAt: e.metadata.occurredAt } });
    }
  }
}

/** Approved time, the queries billing's runs and reports make of it. */
@Injectable()
export class ApprovedTime extends readModelFor(APPROVED_TIME, { entries: collectionOf<ApprovedEntryDoc>(APPROVED) }) {
  /** The agency's approved time of a month, or one assistant's of it. */
  ofMonth(agencyId: string, month: string, assistantId?: string): Promise<ApprovedEntryDoc[]> {
    const filter: Record<string, unknown> = { agencyId, month };
    if (assistantId) filter.assistantId = assistantId;
    return this.collections.entries.find(filter).toArray();
  }

  /** The agency's approved time of a month and every month before it. */
  upTo(agencyId: string, month: string): Promise<ApprovedEntryDoc[]> {
    return this.collections.entries.find({ agencyId, month: { $lte: month } }).toArray();
  }
}
