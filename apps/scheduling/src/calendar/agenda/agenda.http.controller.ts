import { Controller, Get, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiProperty, ApiTags, IntersectionType } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { ERASED_NAME } from '@vaops/contracts';
import { CurrentPrincipal, mayViewParties, MinPositionQueryDto, PersonKeys, ResourceErrors, ValidationFailedError, type Principal } from '@vaops/platform';
import { dayWindow, localTime } from '../../shared/time';
import { SchedulingFacts } from '../../facts/clients-facts.projection';
import { DATE } from '../appointment-request.dto';
import { Appointments } from '../appointments/appointments.projection';
import { person } from '../booking-context';

class AgendaDayQuery {
  @ApiProperty({ example: '2026-03-09', description: "the day in that person's own zone" })
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'must be a date YYYY-MM-DD' })
  date!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  assistantId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  clientId?: string;
}

class AgendaQuery extends IntersectionType(AgendaDayQuery, MinPositionQueryDto) {}

/** "What's on my calendar today?": one day of a client's or an assistant's calendar, in their own zone. */
@ApiTags('agenda')
@Controller('agenda')
export class AgendaController {
  constructor(
    private readonly appointments: Appointments,
    private readonly facts: SchedulingFacts,
    private readonly keys: PersonKeys,
  ) {}

  @Get()
  async agenda(@Query() q: AgendaQuery, @CurrentPrincipal() p: Principal) {
    if (Boolean(q.assistantId) === Boolean(q.clientId)) {
      throw new ValidationFailedError([{ field: q.assistantId ? 'clientId' : 'assistantId', message: 'give exactly one of assistantId and clientId' }]);
    }
    const role = q.assistantId ? 'assistant' : 'client';
    const id = (q.assistantId ?? q.clientId)!;
    await this.mayOpen(role, id, p);
    await this.appointments.waitFor(q.minPosition);
    const { timezone } = await person(this.facts, role, id);
    const { from, to } = dayWindow(q.date, timezone);
    const rows = await this.appointments.overlapping(role === 'assistant' ? { assistantId: id } : { clientId: id }, p.agencyId, from, to);
    const items = rows.map((a) => {
      const time = { startsAt: a.startsAt, endsAt: a.endsAt, localStart: localTime(a.startsAt, timezone), localEnd: localTime(a.endsAt, timezone) };
      // another party's appointment is busy time, nothing more
      if (!mayViewParties(a, p)) return { ...time, kind: null, busy: true };
      return { ...time, kind: a.kind, busy: false, id: a._id, engagementId: a.engagementId, assistantId: a.assistantId, clientId: a.clientId, title: a.title, status: a.status, late: a.late };
    });
    // titles are kept encrypted under each engagement's key: `[erased]` once a party is erased
    return { date: q.date, timezone, items: await this.keys.revealAll(items, ERASED_NAME) };
  }

  /** The agency, the person themselves, or someone they have an engagement with; else 404. */
  private async mayOpen(role: 'assistant' | 'client', id: string, p: Principal): Promise<void> {
    if (p.role === 'agency-admin') return;
    if (p.role === role && (p.role === 'assistant' ? p.assistantId : p.clientId) === id) return;
    if (p.role !== role) {
      const filter = p.role === 'assistant' ? { clientId: id, assistantId: p.assistantId } : { assistantId: id, clientId: p.role === 'client' ? p.clientId : '' };
      const shared = await this.facts.engagementOf({ ...filter, agencyId: p.agencyId });
      if (shared) return;
    }
    throw ResourceErrors[`${role}NotFound`](`${role} ${id} not found`);
  }
}
