import { Body, Controller, Inject, Put, Req, Res } from '@nestjs/common';
import type { ManualClock } from '@vaops/event-sourcing';
import { CLOCK } from '@vaops/platform';
import type { ConsoleConfig } from '../config';
import { sessionOf } from '../session';
import { CONSOLE_CONFIG, type PageRequest, type PageResponse } from '../tokens';
import { field, type Form } from './forms';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `PUT /_test/clock` (form field `now`, an ISO-8601 instant): sets the clock the pages read, as the same
 * route does on each service. Mounted only under VAOPS_TEST_CLOCK=1, which production refuses; otherwise
 * the route is a plain 404. The agency's admin only.
 */
@Controller('_test/clock')
export class ConsoleTestClockController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    @Inject(CLOCK) private readonly clock: ManualClock,
  ) {}

  @Put()
  set(@Req() req: PageRequest, @Res() res: PageResponse, @Body() body: Form): void {
    const session = sessionOf(this.config, req.headers.cookie);
    if (!session) return res.status(401).type('text/plain').send('signed out');
    if (session.principal.role !== 'agency-admin') return res.status(403).type('text/plain').send("the clock is the agency admin's to set");
    const now = field(body, 'now');
    const at = new Date(now);
    if (!INSTANT.test(now) || Number.isNaN(at.getTime())) return res.status(400).type('text/plain').send('now must be an ISO-8601 instant such as 2027-03-01T09:00:00Z');
    this.clock.set(at);
    res.type('application/json').send(JSON.stringify({ now: this.clock.now().toISOString() }));
  }
}
