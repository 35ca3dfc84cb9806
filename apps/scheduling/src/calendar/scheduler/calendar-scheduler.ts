import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { newId, type Clock } from '@vaops/event-sourcing';
import { MongoLease } from '@vaops/mongo';
import { APP_CONFIG, CLOCK, JsonLogger, type AppConfig } from '@vaops/platform';
import { ENGAGEMENTS, type EngagementFactsDoc } from '../../facts/clients-facts.projection';
import { RUNTIME, systemActor, type Runtime } from '../../runtime';
import { APPOINTMENTS, type AppointmentDoc } from '../appointments/appointments.projection';
import { calendarStreamId } from '../calendar';
import { calendarDecider } from '../calendar.decider';

/** Ended engagements whose future appointments were cancelled (the sweep is idempotent anyway). */
const SWEPT = 'ended_engagements_swept';

/**
 * The scheduling service's process on the injectable clock: marks appointments whose end passed
 * without being kept as no-shows, and cancels the future appointments of ended engagements (as the
 * system, reason "engagement ended"). Each step is a calendar command that turns into nothing when
 * done already, so a second run or instance changes nothing; a lease keeps it to one instance anyway.
 */
@Injectable()
export class CalendarScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly owner = `calendar-scheduler-${process.pid}-${newId()}`;

  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: JsonLogger,
  ) {}

  onApplicationBootstrap(): void {
    const every = Number(process.env.VAOPS_SCHEDULER_INTERVAL_MS ?? (this.config.testClock ? 300 : 30_000));
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((err) => this.logger.error({ msg: 'calendar scheduler tick failed', error: String(err) }, 'scheduler'))
        .finally(() => (this.running = undefined));
    }, every);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async tick(): Promise<void> {
    const lease = new MongoLease(this.runtime.db, 'calendar-scheduler');
    if (!(await lease.tryAcquire(this.owner, 60_000))) return;
    const now = this.clock.now().toISOString();
    await this.cancelForEndedEngagements(now);
    await this.markNoShows(now);
  }

  private async markNoShows(now: string): Promise<void> {
    const due = await this.runtime.db.collection<AppointmentDoc>(APPOINTMENTS).find({ status: 'booked', endsAt: { $lte: now } }, { projection: { assistantId: 1, agencyId: 1 } }).toArray();
    const calendars = new Map(due.map((a) => [a.assistantId, a.agencyId]));
    for (const [assistantId, agencyId] of calendars) {
      await this.runtime.execute(calendarDecider, calendarStreamId(assistantId), { type: 'MarkNoShows', data: { now } }, systemActor(agencyId));
    }
  }

  private async cancelForEndedEngagements(now: string): Promise<void> {
    const swept = this.runtime.db.collection<{ _id: string }>(SWEPT);
    for await (const e of this.runtime.db.collection<EngagementFactsDoc>(ENGAGEMENTS).find({ status: 'ended' })) {
      if (await swept.findOne({ _id: e._id })) continue;
      await this.runtime.execute(calendarDecider, calendarStreamId(e.assistantId), { type: 'CancelForEndedEngagement', data: { engagementId: e._id, now } }, systemActor(e.agencyId));
      await swept.updateOne({ _id: e._id }, { $set: { at: now } }, { upsert: true });
    }
  }
}
