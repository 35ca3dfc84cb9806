import { Injectable } from '@nestjs/common';
import { ownedCollection } from '@vaops/platform';

/** Ended engagements whose future appointments were cancelled (the sweep is idempotent anyway). */
const SWEPT = 'ended_engagements_swept';

/** The calendar scheduler's record of the ended engagements it swept: the port owns its collection. */
@Injectable()
export class SweptEngagements extends ownedCollection<{ _id: string; at: string }>(SWEPT) {
  /** The ids of every engagement swept so far. */
  async ids(): Promise<string[]> {
    return (await this.collection.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
  }

  /** Records that the engagement was swept at `at`. */
  async record(engagementId: string, at: string): Promise<void> {
    await this.collection.updateOne({ _id: engagementId }, { $set: { at } }, { upsert: true });
  }
}
