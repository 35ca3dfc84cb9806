import { Inject, Injectable } from '@nestjs/common';
import { RUNTIME, type Runtime } from '../../runtime';

/** Ended engagements whose future appointments were cancelled (the sweep is idempotent anyway). */
const SWEPT = 'ended_engagements_swept';

/** The calendar scheduler's record of the ended engagements it swept: the port owns its collection. */
@Injectable()
export class SweptEngagements {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  // asked on each use: the runtime opens its database when the app starts, after providers are built
  private get swept() {
    return this.runtime.db.collection<{ _id: string; at: string }>(SWEPT);
  }

  /** The ids of every engagement swept so far. */
  async ids(): Promise<string[]> {
    return (await this.swept.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
  }

  /** Records that the engagement was swept at `at`. */
  async record(engagementId: string, at: string): Promise<void> {
    await this.swept.updateOne({ _id: engagementId }, { $set: { at } }, { upsert: true });
  }
}
