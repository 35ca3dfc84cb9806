import { Inject, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { newId, type Clock } from '@vaops/event-sourcing';
import { MongoLease } from '@vaops/mongo';
import type { AppConfig } from '../config/config';
import { JsonLogger } from '../logging/json-logger';
import { APP_CONFIG, CLOCK, RUNTIME } from '../tokens';
import type { EventSourcedRuntime, SystemActor } from './event-sourced-runtime';
import { READ_MODELS } from './read-model';

/**
 * A service's periodic process on the injectable clock (the test clock in tests): runs `tick` every
 * VAOPS_SCHEDULER_INTERVAL_MS (default 30 s; 300 ms with the test clock), never two ticks at once,
 * and in one instance at a time (a lease). Ticks must be idempotent: their commands turn into nothing
 * when the work is done already. A subclass's constructor takes only its own dependencies and passes
 * its name (`super('calendar-scheduler')`): the runtime, clock, settings and logger are injected here.
 */
export abstract class ScheduledProcess implements OnApplicationBootstrap, OnApplicationShutdown {
  @Inject(RUNTIME) protected readonly runtime!: EventSourcedRuntime;
  @Inject(CLOCK) protected readonly clock!: Clock;
  @Inject(APP_CONFIG) private readonly config!: AppConfig;
  @Inject(JsonLogger) protected readonly logger!: JsonLogger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly owner: string;

  protected constructor(protected readonly name: string) {
    this.owner = `${name}-${process.pid}-${newId()}`;
  }

  /** One pass over the work that is due at `now`. */
  protected abstract tick(now: Date): Promise<void>;

  /** Who the process acts as in an agency (recorded as actor `system:<name>`). */
  protected system(agencyId: string): SystemActor {
    return { sub: `system:${this.name}`, agencyId, role: 'system' };
  }

  onApplicationBootstrap(): void {
    const every = Number(process.env.VAOPS_SCHEDULER_INTERVAL_MS ?? (this.config.testClock ? 300 : 30_000));
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((err) => this.logger.error({ msg: `${this.name} tick failed`, error: String(err) }, this.name))
        .finally(() => (this.running = undefined));
    }, every);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Takes the lease and ticks once; false when another instance holds the lease. */
  async runOnce(): Promise<boolean> {
    const lease = new MongoLease(this.runtime[READ_MODELS].db, this.name);
    if (!(await lease.tryAcquire(this.owner, 60_000))) return false;
    await this.tick(this.clock.now());
    return true;
  }
}
