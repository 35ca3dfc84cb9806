import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@vaops/event-sourcing';
import { CurrentPrincipal, type Principal } from '@vaops/platform';
import { APPOINTMENTS, type AppointmentDoc } from '../facts/appointments.projection';
import { ASSISTANTS, ENGAGEMENTS, type AssistantDoc, type EngagementDoc } from '../facts/clients-facts.projection';
import { inPeriod } from '../shared/periods';
import { OptionalPeriodQuery, agencyZone } from '../shared/query';
import { RUNTIME, type Runtime } from '../runtime';
import { reliabilityOf, type Reliability } from './reliability';

@ApiTags('analytics')
@Controller('analytics/assistants')
export class ReliabilityController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  /**
   * An assistant's reliability, for the appointments starting in the period (in the agency's zone) or
   * all time. The agency sees all; the assistant their own; a client with an engagement with them only
   * the part of its own appointments; anyone else 404.
   */
  @Get(':id/reliability')
  async reliability(@Param('id') id: string, @Query() q: OptionalPeriodQuery, @CurrentPrincipal() p: Principal): Promise<Reliability & { assistantId: string; period: string | null }> {
    const db = this.runtime.db;
    const notFound = () => new NotFoundError('ASSISTANT.NOT_FOUND', `assistant ${id} not found`);
    const filter: Record<string, unknown> = { agencyId: p.agencyId, assistantId: id };
    if (p.role === 'assistant' && p.assistantId !== id) throw notFound();
    if (p.role === 'client') {
      const shared = await db.collection<EngagementDoc>(ENGAGEMENTS).findOne({ agencyId: p.agencyId, assistantId: id, clientId: p.clientId });
      if (!shared) throw notFound();
      filter.clientId = p.clientId;
    }
    if (!(await db.collection<AssistantDoc>(ASSISTANTS).findOne({ _id: id, agencyId: p.agencyId }))) throw notFound();
    let rows = await db.collection<AppointmentDoc>(APPOINTMENTS).find(filter).toArray();
    if (q.period) {
      const zone = await agencyZone(db, p.agencyId);
      rows = rows.filter((r) => inPeriod(r.startsAt, q.period!, zone));
    }
    return { assistantId: id, period: q.period ?? null, ...reliabilityOf(rows) };
  }
}
