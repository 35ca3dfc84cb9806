import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { PersonKeys, ScheduledProcess } from '@vaops/platform';
import { SchedulingFacts } from '../../facts/clients-facts.projection';
import { Appointments } from '../appointments/appointments.projection';
import { Calendars } from '../calendars';
import { SweptEngagements } from './swept-engagements';

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
    private readonly calendars: Calendars,
    private readonly appointments: Appointments,
    private readonly facts: SchedulingFacts,
    private readonly sweptEngagements: SweptEngagements,
    private readonly keys: PersonKeys,
  ) {
    super('calendar-scheduler');
  }

  private swept: Set<string> | undefined;
  private ticks = 0;

  protected async tick(at: Date): Promise<void> {
    const now = at.toISOString();
    await this.cancelForEndedEngagements(now);
    await this.markNoShows(now);
  }

  private async markNoShows(now: string): Promise<void> {
    const due = await this.appointments.endedUnkept(now);
    const calendars = new Map(due.map((a) => [a.assistantId, a.agencyId]));
    for (const [assistantId, agencyId] of calendars) {
      await this.calendars.execute(assistantId, { type: 'MarkNoShows', data: { now } }, this.system(agencyId));
    }
  }

  /**
   * Each tick reads the engagements that ended in the last week (by the clock: an index range), and
   * every FULL_SWEEP_EVERY ticks (and on the first) all ended ones, for an end that arrived more than a
   * week late. What was swept is recorded (SweptEngagements) and remembered, so the commands run once.
   */
  private async cancelForEndedEngagements(now: string): Promise<void> {
    if (!this.swept) this.swept = new Set(await this.sweptEngagements.ids());
    const full = this.ticks++ % FULL_SWEEP_EVERY === 0;
    const weekAgo = DateTime.fromISO(now, { zone: 'UTC' }).minus({ days: 7 }).toISODate()!;
    const ended = await this.facts.endedEngagements(full ? undefined : weekAgo);
    for (const e of ended) {
      if (this.swept.has(e._id)) continue;
      // the reason, like any appointment's, is encrypted under the engagement's key
      const reason = await this.keys.sealEngagementText({ engagementId: e._id, clientId: e.clientId, assistantId: e.assistantId }, 'engagement ended');
      await this.calendars.execute(e.assistantId, { type: 'CancelForEndedEngagement', data: { engagementId: e._id, reason, now } }, this.system(e.agencyId));
      await this.sweptEngagements.record(e._id, now);
      this.swept.add(e._id);
    }
  }
}
