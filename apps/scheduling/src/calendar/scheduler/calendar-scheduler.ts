import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@vaops/event-sourcing';
import { APP_CONFIG, CLOCK, JsonLogger, ScheduledProcess, type AppConfig } from '@vaops/platform';
import { ENGAGEMENTS, type EngagementFactsDoc } from '../../facts/clients-facts.projection';
import { RUNTIME, type Runtime } from '../../runtime';
import { APPOINTMENTS, type AppointmentDoc } from '../appointments/appointments.projection';
import { calendarStreamId } from '../calendar';
import { calendarDecider } from '../calendar.decider';

/** Ended engagements whose future appointments were cancelled (the sweep is idempotent anyway). */
const SWEPT = 'ended_engagements_swept';

/**
 * The scheduling service's process on the injectable clock: marks appointments whose end passed
 * without being kept as no-shows, and cancels the future appointments of ended engagements (as the
 * system, reason "engagement ended"). Each step is a calendar command that turns into nothing when
 * done already, so a second run or instance changes nothing (ScheduledProcess adds the lease).
 */
@Injectable()
export class CalendarScheduler extends ScheduledProcess {
  constructor(@Inject(RUNTIME) runtime: Runtime, @Inject(CLOCK) clock: Clock, @Inject(APP_CONFIG) config: AppConfig, logger: JsonLogger) {
    super('calendar-scheduler', runtime, clock, config, logger);
  }

  protected async tick(at: Date): Promise<void> {
    const now = at.toISOString();
    await this.cancelForEndedEngagements(now);
    await this.markNoShows(now);
  }

  private async markNoShows(now: string): Promise<void> {
    const due = await this.runtime.db.collection<AppointmentDoc>(APPOINTMENTS).find({ status: 'booked', endsAt: { $lte: now } }, { projection: { assistantId: 1, agencyId: 1 } }).toArray();
    const calendars = new Map(due.map((a) => [a.assistantId, a.agencyId]));
    for (const [assistantId, agencyId] of calendars) {
      await this.runtime.execute(calendarDecider, calendarStreamId(assistantId), { type: 'MarkNoShows', data: { now } }, this.system(agencyId));
    }
  }

  private async cancelForEndedEngagements(now: string): Promise<void> {
    const swept = this.runtime.db.collection<{ _id: string }>(SWEPT);
    for await (const e of this.runtime.db.collection<EngagementFactsDoc>(ENGAGEMENTS).find({ status: 'ended' })) {
      if (await swept.findOne({ _id: e._id })) continue;
      await this.runtime.execute(calendarDecider, calendarStreamId(e.assistantId), { type: 'CancelForEndedEngagement', data: { engagementId: e._id, now } }, this.system(e.agencyId));
      await swept.updateOne({ _id: e._id }, { $set: { at: now } }, { upsert: true });
    }
  }
}
