import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ResourceErrors, CurrentPrincipal, IsIdList, Roles, type Principal } from '@vaops/platform';
import { AppointmentFacts, type ReliabilityDoc } from '../facts/appointments.projection';
import { AnalyticsFacts } from '../facts/clients-facts.projection';
import { inPeriod } from '../shared/periods';
import { OptionalPeriodQuery } from '../shared/query';
import { reliabilityOf, type Reliability } from './reliability';

/** At most this many assistants in one list request (a page of a team view). */
export const MAX_LISTED_ASSISTANTS = 100;

/** `?assistantIds=a,b,c`: a page of assistants, by id. */
export class AssistantIdsQuery {
  @IsIdList('assistant', MAX_LISTED_ASSISTANTS)
  assistantIds!: string[];
}

const counts = (d: ReliabilityDoc | null | undefined): Reliability => ({
  kept: d?.kept ?? 0,
  rescheduledInTime: d?.rescheduledInTime ?? 0,
  rescheduledLate: d?.rescheduledLate ?? 0,
  cancelledInTime: d?.cancelledInTime ?? 0,
  cancelledLate: d?.cancelledLate ?? 0,
  noShow: d?.noShow ?? 0,
});

@ApiTags('analytics')
@Controller('analytics/assistants')
export class ReliabilityController {
  constructor(
    private readonly facts: AnalyticsFacts,
    private readonly appointments: AppointmentFacts,
  ) {}

  /**
   * All-time reliability of a page of assistants (the agency's team view): one read of their counts,
   * however long their history. An id that is not the agency's assistant is left out.
   */
  @Get('reliability')
  @Roles('agency-admin')
  async list(@Query() q: AssistantIdsQuery, @CurrentPrincipal() p: Principal): Promise<{ items: (Reliability & { assistantId: string })[] }> {
    const ids = [...new Set(q.assistantIds)];
    const [known, docs] = await Promise.all([this.facts.assistantIdsAmong(p.agencyId, ids), this.appointments.countsAmong(p.agencyId, ids)]);
    const byId = new Map(docs.map((d) => [d._id, d]));
    const mine = new Set(known);
    return { items: ids.filter((id) => mine.has(id)).map((id) => ({ assistantId: id, ...counts(byId.get(id)) })) };
  }

  /**
   * An assistant's reliability, for the appointments starting in the period (in the agency's zone) or
   * all time. The agency sees all; the assistant their own; a client with an engagement with them only
   * the part of its own appointments; anyone else 404.
   */
  @Get(':id/reliability')
  async reliability(@Param('id') id: string, @Query() q: OptionalPeriodQuery, @CurrentPrincipal() p: Principal): Promise<Reliability & { assistantId: string; period: string | null }> {
    const notFound = () => ResourceErrors.assistantNotFound(`assistant ${id} not found`);
    if (p.role === 'assistant' && p.assistantId !== id) throw notFound();
    // a client sees only its own appointments with the assistant
    let onlyClient: string | undefined;
    if (p.role === 'client') {
      const shared = await this.facts.engagementBetween(p.agencyId, id, p.clientId);
      if (!shared) throw notFound();
      onlyClient = p.clientId;
    }
    if (!(await this.facts.assistant(p.agencyId, id))) throw notFound();
    // all time, as the agency or the assistant sees it: the counts the projection keeps (one document)
    if (!q.period && p.role !== 'client') {
      return { assistantId: id, period: null, ...counts(await this.appointments.countsOf(p.agencyId, id)) };
    }
    let rows = await this.appointments.appointmentsOf(p.agencyId, id, onlyClient);
    if (q.period) {
      const zone = await this.facts.agencyZone(p.agencyId);
      rows = rows.filter((r) => inPeriod(r.startsAt, q.period!, zone));
    }
    return { assistantId: id, period: q.period ?? null, ...reliabilityOf(rows) };
  }
}
