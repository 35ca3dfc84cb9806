import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { newId, type Clock } from '@vaops/event-sourcing';
import { CLOCK, CurrentPrincipal, PersonKeys, ValidationFailedError, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { actorOf } from '../../runtime';
import { expandSeries, localTime, toUtc } from '../../shared/time';
import { SchedulingFacts } from '../../facts/clients-facts.projection';
import { AppointmentIndex } from '../appointment-index';
import { bookingContext, visibleEngagement } from '../booking-context';
import type { AppointmentToBook } from '../calendar';
import { Calendars } from '../calendars';
import { SchedulingPolicies } from '../../policy/scheduling-policies';
import { BookAppointmentRequest, MAX_OCCURRENCES } from './book-appointment.request.dto';

/**
 * Booking is decided on the assistant's calendar stream at its version: two overlapping bookings for
 * one assistant (from any of their clients) race for one version, and the loser re-decides against
 * the winner. A series is one decision and one append: all of its occurrences, or none.
 */
@ApiTags('appointments')
@Controller('appointments')
export class BookAppointmentController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly calendars: Calendars,
    private readonly policies: SchedulingPolicies,
    private readonly appointmentIndex: AppointmentIndex,
    private readonly facts: SchedulingFacts,
    private readonly keys: PersonKeys,
  ) {}

  @Post()
  @ApiCreatedResponse({ description: '{ id, position } (+ occurrences and seriesId for a series)' })
  async book(@Body() body: BookAppointmentRequest, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    const engagement = await visibleEngagement(this.facts, body.engagementId, p);
    const first = { startsAt: toUtc(body.startsAt), endsAt: toUtc(body.endsAt) };
    const r = body.recurrence;
    if (r && r.count === undefined && r.until === undefined) {
      throw new ValidationFailedError([{ field: 'recurrence', message: 'needs count or until' }]);
    }
    // a retried request (after a crash) makes the same ids and finds its index entries written
    const index = (ids: string[]) => this.appointmentIndex.record(ids, engagement.assistantId, p.agencyId);
    // a single appointment's index entry is written while the context is read (one round trip less);
    // a series is expanded in the client's zone first. A refused booking's index points at nothing.
    const single = r ? null : newId();
    const [ctx] = await Promise.all([bookingContext(this.facts, this.policies, engagement), single ? index([single]) : undefined]);
    const slots = r ? expandSeries(first, ctx.clientZone, r.every, { count: r.count, until: r.until, max: MAX_OCCURRENCES }) : [first];
    if (slots.length === 0) throw new ValidationFailedError([{ field: 'recurrence.until', message: 'is before the first occurrence' }]);
    const seriesId = r ? newId() : null;
    // the title is encrypted under the engagement's key before anything is decided (one ciphertext for a whole series)
    const title = body.title === undefined || body.title === null ? null : await this.keys.sealEngagementText(engagement, body.title);
    const appointments: AppointmentToBook[] = slots.map((slot, i) => ({
      appointmentId: single ?? newId(),
      engagementId: engagement.engagementId,
      assistantId: engagement.assistantId,
      clientId: engagement.clientId,
      kind: body.kind,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      title,
      bookedBy: actorOf(p),
      recurrence: r && seriesId ? { seriesId, every: r.every, localStart: localTime(first.startsAt, ctx.clientZone), zone: ctx.clientZone, occurrence: i, count: slots.length } : null,
    }));
    if (!single) await index(appointments.map((a) => a.appointmentId));
    const result = await this.calendars.execute(engagement.assistantId, { type: 'Book', data: { appointments, engagement, policy: ctx.policy, now: this.clock.now().toISOString() } }, p);
    const id = appointments[0].appointmentId;
    res.setHeader('Location', `/appointments/${id}`);
    setVersion(res, 1);
    return { id, position: result.lastPosition, ...(seriesId ? { seriesId, occurrences: appointments.map((a) => ({ id: a.appointmentId, startsAt: a.startsAt, endsAt: a.endsAt })) } : {}) };
  }
}
