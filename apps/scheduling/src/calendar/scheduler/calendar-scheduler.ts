import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { Clock } from '@vaops/event-sourcing';
import { APP_CONFIG, CLOCK, JsonLogger, ScheduledProcess, type AppConfig } from '@vaops/platform';
import { ENGAGEMENTS, type EngagementFactsDoc } from '../../facts/clients-facts.projection';
import { RUNTIME, type Runtime } from '../../runtime';
import { APPOINTMENTS, type AppointmentDoc } from '../appointments/appointments.projection';
import { calendarStreamId } from '../calendar';
import { calendarDecider } from '../calendar.decider';

/** Ended engagements whose future appointments were cancelled (the sweep is idempotent anyway). */
const SWEPT = 'ended_engagements_swept';
/** The document of SWEPT that holds the end date the next sweep starts from. */
const CURSOR = '~cursor';

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

  /**
   * Engagements that ended on or after the cursor (a date a few days before the last sweep that went
   * through), so a tick reads what ended lately, not every engagement that ever ended.
   */
  private async cancelForEndedEngagements(now: string): Promise<void> {
    const swept = this.runtime.db.collection<{ _id: string; at?: string; from?: string }>(SWEPT);
    const from = (await swept.findOne({ _id: CURSOR }))?.from ?? '0000-00-00';
    const ended = await this.runtime.db.collection<EngagementFactsDoc>(ENGAGEMENTS).find({ status: 'ended', endsOn: { $gte: from } }).toArray();
    const done = new Set((await swept.find({ _id: { $in: ended.map((e) => e._id) } }, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    for (const e of ended) {
      if (done.has(e._id)) continue;
      await this.runtime.execute(calendarDecider, calendarStreamId(e.assistantId), { type: 'CancelForEndedEngagement', data: { engagementId: e._id, now } }, this.system(e.agencyId));
      await swept.updateOne({ _id: e._id }, { $set: { at: now } }, { upsert: true });
    }
    // an end date is the agency's date: two days back covers every zone and an event that arrived late
    const next = DateTime.fromISO(now, { zone: 'UTC' }).minus({ days: 2 }).toISODate()!;
    if (next > from) await swept.updateOne({ _id: CURSOR }, { $set: { from: next } }, { upsert: true });
  }
}
