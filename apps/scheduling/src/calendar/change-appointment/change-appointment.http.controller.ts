import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags, IntersectionType } from '@nestjs/swagger';
import { ERASED_NAME } from '@vaops/contracts';
import type { Clock } from '@vaops/event-sourcing';
import { AsOfQueryDto, CLOCK, CurrentPrincipal, mayViewParties, MinPositionQueryDto, parseIfMatch, PersonKeys, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { actorOf } from '../../runtime';
import { toUtc } from '../../shared/time';
import { SchedulingFacts } from '../../facts/clients-facts.projection';
import { CancelRequest, RescheduleRequest } from '../appointment-request.dto';
import { AppointmentIndex, visibleAppointment } from '../appointment-index';
import { appointmentAt } from '../appointment-history/appointment-history';
import { AppointmentHistory } from '../appointment-history/appointment-history.projection';
import { Appointments, type AppointmentDoc } from '../appointments/appointments.projection';
import { bookingContext, visibleEngagement } from '../booking-context';
import type { Appointment } from '../calendar';
import type { CalendarCommand } from '../calendar.decider';
import { CalendarErrors } from '../calendar.errors';
import { Calendars } from '../calendars';
import { SchedulingPolicies } from '../../policy/scheduling-policies';

/** The Appointment shape of API.md (plus the parties, title and series it belongs to). */
export const appointmentView = (d: AppointmentDoc) => ({
  id: d._id,
  engagementId: d.engagementId,
  assistantId: d.assistantId,
  clientId: d.clientId,
  kind: d.kind,
  title: d.title,
  startsAt: d.startsAt,
  endsAt: d.endsAt,
  status: d.status,
  late: d.late,
  recurrence: d.recurrence,
  changes: d.changes,
  version: d.version,
});

class AppointmentQuery extends IntersectionType(MinPositionQueryDto, AsOfQueryDto) {}

@ApiTags('appointments')
@Controller('appointments/:id')
export class ChangeAppointmentController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly calendars: Calendars,
    private readonly policies: SchedulingPolicies,
    private readonly index: AppointmentIndex,
    private readonly appointments: Appointments,
    private readonly facts: SchedulingFacts,
    private readonly history: AppointmentHistory,
    private readonly keys: PersonKeys,
  ) {}

  /**
   * Decides the command `build` makes from the appointment, on the calendar state it is decided on
   * (404 when the caller may not see it); the appointment's version is the ETag.
   */
  private async run(id: string, p: Principal, res: HeaderSink, build: (a: Appointment) => CalendarCommand | Promise<CalendarCommand>) {
    const assistantId = await this.index.calendarOf(id, p);
    let seen: Appointment | undefined;
    const r = await this.calendars.execute(assistantId, (calendar) => build((seen = visibleAppointment(calendar, id, p))), p);
    const version = r.state.appointments[id]?.version ?? seen!.version;
    setVersion(res, version);
    return { id, position: r.lastPosition, version };
  }

  /** With `asOf`, the appointment as it stood then, folded from its history (404 before it was booked). */
  @Get()
  async get(@Param('id') id: string, @Query() q: AppointmentQuery, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    const doc = q.asOf === undefined ? await this.current(id, p, q.minPosition) : await this.asOf(id, p, new Date(q.asOf), q.minPosition);
    if (!doc || !mayViewParties(doc, p)) throw CalendarErrors.notFound(`appointment ${id} not found`);
    setVersion(res, doc.version);
    // the title and the reasons of its changes are kept encrypted under the engagement's key: `[erased]` once a party is erased
    return this.keys.revealAll(appointmentView(doc), ERASED_NAME);
  }

  private async current(id: string, p: Principal, minPosition: number | undefined): Promise<AppointmentDoc | null> {
    await this.appointments.waitFor(minPosition);
    return this.appointments.byId(p.agencyId, id);
  }

  private async asOf(id: string, p: Principal, asOf: Date, minPosition: number | undefined): Promise<AppointmentDoc | null> {
    await this.history.waitFor(minPosition);
    const doc = await this.history.byId(p.agencyId, id);
    return doc && appointmentAt(doc, asOf);
  }

  /** Later than the agency's minimum notice before the start it is allowed, but recorded as late. */
  @Post('reschedule')
  @HttpCode(200)
  async reschedule(@Param('id') id: string, @Body() body: RescheduleRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    return this.run(id, p, res, async (a) => {
      const ctx = await bookingContext(this.facts, this.policies, await visibleEngagement(this.facts, a.engagementId, p));
      return {
        type: 'Reschedule',
        data: {
          appointmentId: id,
          startsAt: toUtc(body.startsAt),
          endsAt: toUtc(body.endsAt),
          reason: await this.keys.sealEngagementText(a, body.reason),
          by: actorOf(p),
          engagement: ctx.engagement,
          policy: ctx.policy,
          minimumNoticeHours: ctx.minimumNoticeHours,
          now: this.clock.now().toISOString(),
          expectedVersion: parseIfMatch(ifMatch),
        },
      };
    });
  }

  @Post('cancel')
  @HttpCode(200)
  async cancel(@Param('id') id: string, @Body() body: CancelRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const { minimumNoticeHours } = await this.facts.agencyPolicies(p.agencyId);
    return this.run(id, p, res, async (a) => ({
      type: 'Cancel',
      data: { appointmentId: id, reason: await this.keys.sealEngagementText(a, body.reason), by: actorOf(p), minimumNoticeHours, now: this.clock.now().toISOString(), expectedVersion: parseIfMatch(ifMatch) },
    }));
  }

  @Post('kept')
  @HttpCode(200)
  async kept(@Param('id') id: string, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    return this.run(id, p, res, () => ({ type: 'MarkKept', data: { appointmentId: id, by: actorOf(p), now: this.clock.now().toISOString(), expectedVersion: parseIfMatch(ifMatch) } }));
  }
}
