import { Controller, Injectable } from '@nestjs/common';
import type { Filter } from 'mongodb';
import { Topics, type AppointmentActor, type PublicEvent, type Reliability } from '@vaops/contracts';
import { ProjectionHandler, collectionOf, readModelFor, type ProjectionSpec } from '@vaops/platform';
import { applyIfNewer, type ReadModelStore } from '@vaops/projections';

/**
 * Each assistant's reliability record as the scheduling service counts it
 * (apps/scheduling/src/calendar/reliability), learnt from its topic for matching: kept and no-show
 * appointments, and the moves and cancellations the assistant's side made (the assistant or the
 * agency for them), in time or late. What the client or the system moved never counts against the
 * assistant.
 *
 * One document per assistant, the scheduling stream `calendar-<assistantId>`'s: each counted event
 * is an `$inc` applied once, when its stream version is newer than the last applied (a kept or
 * no-show appointment never changes again, so each event counts once). Booked events leave the counts
 * as they are and are skipped; the gaps they leave are why this is `applyIfNewer`.
 */
export interface AssistantReliabilityDoc extends Reliability {
  _id: string;
  _v: number;
  agencyId: string;
}

export const ASSISTANT_RELIABILITY = 'clients.assistant-reliability';
const COLL = 'assistant_reliability';

export const assistantReliabilitySpec: ProjectionSpec = {
  name: ASSISTANT_RELIABILITY,
  topics: [Topics.scheduling],
  collections: { [COLL]: { indexes: [{ key: { agencyId: 1, _id: 1 } }] } },
};

/** The side whose record a move or cancellation counts on: the agency acts for the assistant. */
const assistantSide = (by: AppointmentActor): boolean => by === 'assistant' || by === 'agency';

async function count(store: ReadModelStore, e: PublicEvent<'AppointmentKept' | 'AppointmentNoShow' | 'AppointmentRescheduled' | 'AppointmentCancelled'>, field: keyof Reliability) {
  await applyIfNewer(store.collection(COLL), e.data.assistantId, e.version, { $set: { agencyId: e.metadata.agencyId }, $inc: { [field]: 1 } });
}

@Controller()
export class AssistantReliabilityProjection {
  @ProjectionHandler(assistantReliabilitySpec, 'AppointmentKept')
  async kept(e: PublicEvent<'AppointmentKept'>, store: ReadModelStore): Promise<void> {
    await count(store, e, 'kept');
  }

  @ProjectionHandler(assistantReliabilitySpec, 'AppointmentNoShow')
  async noShow(e: PublicEvent<'AppointmentNoShow'>, store: ReadModelStore): Promise<void> {
    await count(store, e, 'noShow');
  }

  @ProjectionHandler(assistantReliabilitySpec, 'AppointmentRescheduled')
  async rescheduled(e: PublicEvent<'AppointmentRescheduled'>, store: ReadModelStore): Promise<void> {
    if (assistantSide(e.data.by)) await count(store, e, e.data.late ? 'rescheduledLate' : 'rescheduledInTime');
  }

  @ProjectionHandler(assistantReliabilitySpec, 'AppointmentCancelled')
  async cancelled(e: PublicEvent<'AppointmentCancelled'>, store: ReadModelStore): Promise<void> {
    if (assistantSide(e.data.by)) await count(store, e, e.data.late ? 'cancelledLate' : 'cancelledInTime');
  }
}

/** The assistants' reliability records, as matching reads them. */
@Injectable()
export class AssistantReliability extends readModelFor(ASSISTANT_RELIABILITY, { records: collectionOf<AssistantReliabilityDoc>(COLL) }) {
  /** The records of these assistants of the agency, by id (500 ids a query); one without a document has counted nothing yet. */
  async of(agencyId: string, assistantIds: string[]): Promise<Map<string, Reliability>> {
    const out = new Map<string, Reliability>();
    for (let i = 0; i < assistantIds.length; i += 500) {
      const docs = await this.collections.records.find({ agencyId, _id: { $in: assistantIds.slice(i, i + 500) } } as Filter<AssistantReliabilityDoc>).toArray();
      for (const d of docs) out.set(d._id, counts(d));
    }
    return out;
  }
}

/** The counts of a document (a count no event raised yet is absent: 0). */
const counts = (d: AssistantReliabilityDoc): Reliability => ({
  kept: d.kept ?? 0,
  rescheduledInTime: d.rescheduledInTime ?? 0,
  rescheduledLate: d.rescheduledLate ?? 0,
  cancelledInTime: d.cancelledInTime ?? 0,
  cancelledLate: d.cancelledLate ?? 0,
  noShow: d.noShow ?? 0,
});
