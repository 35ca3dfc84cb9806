import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@vaops/event-sourcing';
import { CLOCK } from '@vaops/platform';
import { DateTime } from 'luxon';
import { ServicesApi } from './api';

/**
 * "Now" and "today" as the pages show them: the injected clock (a ManualClock under VAOPS_TEST_CLOCK=1,
 * as in the services), read in the zone the domain's rule names. The agency's days, weeks and months are
 * in the agency's zone; a person's own day, and an assistant's timesheet week, in that person's zone. So
 * an assistant in Manila opening "Today" at 7:00 sees their day, not the one UTC is still in.
 */
@Injectable()
export class ConsoleCalendar {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly api: ServicesApi,
  ) {}

  /** The instant now. */
  now(): Date {
    return this.clock.now();
  }

  /** Now, on the wall clocks of a zone. */
  in(zone: string): DateTime {
    return DateTime.fromJSDate(this.clock.now(), { zone });
  }

  /** The agency's zone, from its settings (the clients service; UTC until the agency sets one). */
  async agencyZone(token: string): Promise<string> {
    return (await this.api.get<{ timezone: string }>('clients', '/agency/settings', token)).timezone;
  }
}
