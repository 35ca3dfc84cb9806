import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { Clock } from '@vaops/event-sourcing';
import { APP_CONFIG, CLOCK, JsonLogger, ScheduledProcess, type AppConfig } from '@vaops/platform';
import { ENGAGEMENTS, type EngagementFactsDoc } from '../../facts/clients-facts.projection';
import { RUNTIME, type Runtime } from '../../runtime';
import { APPOINTMENTS, type AppointmentDoc } from '../appointments/appointments.projection';
import { Calendars } from '../calendars';

/** Ended engagements whose future appointments were cancelled (the sweep is idempotent anyway). */
const SWEPT = 'ended_engagements_swept';
/** Ticks between two sweeps over every ended engagement (about half an hour at the default interval). */
const FULL_SWEEP_EVERY = 60;

/**
 * The scheduling service's process on the injectable clock: marks appointments whose end passed
 * without being kept as no-shows, and cancels the future appointments of ended engagements (as the
 * system, reason "engagement ended"). Each step is a calendar command that turns into nothing when
 * done already, so a second run or instance changes nothing (ScheduledProcess adds the lease).
 */
@Injectable()
export class CalendarScheduler extends ScheduledProcess {
  constructor(
    @Inject(RUNTIME) runtime: Runtime,
    @Inject(CLOCK) clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    logger: JsonLogger,
    private readonly calendars: Calendars,
  ) {
    super('calendar-scheduler', runtime, clock, config, logger);
  }

  private swept: Set<string> | undefined;
  private ticks = 0;

  protected async tick(at: Date): Promise<void> {
    const now = at.toISOString();
    await this.cancelForEndedEngagements(now);
    await this.markNoShows(now);
  }

  private async markNoShows(now: string): Promise<void> {
    const due = await this.runtime.db.collection<AppointmentDoc>(APPOINTMENTS).find({ status: 'booked', endsAt: { $lte: now } }, { projection: { assistantId: 1, agencyId: 1 } }).toArray();
    const calendars = new Map(due.map((a) => [a.assistantId, a.agencyId]));
    for (const [assistantId, agencyId] of calendars) {
      await this.calendars.execute(assistantId, { type: 'MarkNoShows', data: { now } }, this.system(agencyId));
    }
  }

  /**
   * Each tick reads the engagements that ended in the last week (by the clock: an index range), and
   * every FULL_SWEEP_EVERY ticks (and on the first) all ended ones, for an end that arrived more than a
   * week late. What was swept is kept in SWEPT and remembered, so the commands run once.
   */
  private async cancelForEndedEngagements(now: string): Promise<void> {
    const swept = this.runtime.db.collection<{ _id: string; at: string }>(SWEPT);
    if (!this.swept) this.swept = new Set((await swept.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    const full = this.ticks++ % FULL_SWEEP_EVERY === 0;
    const weekAgo = DateTime.fromISO(now, { zone: 'UTC' }).minus({ days: 7 }).toISODate()!;
    const ended = await this.runtime.db
      .collection<EngagementFactsDoc>(ENGAGEMENTS)
      .find(full ? { status: 'ended' } : { status: 'ended', endsOn: { $gte: weekAgo } }, { projection: { _id: 1, assistantId: 1, agencyId: 1 } })
      .toArray();
    for (const e of ended) {
      if (this.swept.has(e._id)) continue;
      await this.calendars.execute(e.assistantId, { type: 'CancelForEndedEngagement', data: { engagementId: e._id, now } }, this.system(e.agencyId));
      await swept.updateOne({ _id: e._id }, { $set: { at: now } }, { upsert: true });
      this.swept.add(e._id);
    }
  }
}
