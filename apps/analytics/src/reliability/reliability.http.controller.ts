import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsString, MaxLength } from 'class-validator';
import { ResourceErrors, CurrentPrincipal, Roles, type Principal } from '@vaops/platform';
import { APPOINTMENTS, RELIABILITY, type AppointmentDoc, type ReliabilityDoc } from '../facts/appointments.projection';
import { ASSISTANTS, ENGAGEMENTS, type AssistantDoc, type EngagementDoc } from '../facts/clients-facts.projection';
import { inPeriod } from '../shared/periods';
import { OptionalPeriodQuery, agencyZone } from '../shared/query';
import { RUNTIME, type Runtime } from '../runtime';
import { reliabilityOf, type Reliability } from './reliability';

/** At most this many assistants in one list request (a page of a team view). */
export const MAX_LISTED_ASSISTANTS = 100;

/** `?assistantIds=a,b,c`: a page of assistants, by id. */
export class AssistantIdsQuery {
  @ApiProperty({ example: 'id1,id2', description: `comma-separated assistant ids, at most ${MAX_LISTED_ASSISTANTS}` })
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LISTED_ASSISTANTS)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
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
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  /**
   * All-time reliability of a page of assistants (the agency's team view): one read of their counts,
   * however long their history. An id that is not the agency's assistant is left out.
   */
  @Get('reliability')
  @Roles('agency-admin')
  async list(@Query() q: AssistantIdsQuery, @CurrentPrincipal() p: Principal): Promise<{ items: (Reliability & { assistantId: string })[] }> {
    const ids = [...new Set(q.assistantIds)];
    const db = this.runtime.db;
    const [known, docs] = await Promise.all([
      db.collection<AssistantDoc>(ASSISTANTS).find({ _id: { $in: ids }, agencyId: p.agencyId }, { projection: { _id: 1 } }).toArray(),
      db.collection<ReliabilityDoc>(RELIABILITY).find({ _id: { $in: ids }, agencyId: p.agencyId }).toArray(),
    ]);
    const byId = new Map(docs.map((d) => [d._id, d]));
    const mine = new Set(known.map((a) => a._id));
    return { items: ids.filter((id) => mine.has(id)).map((id) => ({ assistantId: id, ...counts(byId.get(id)) })) };
  }

  /**
   * An assistant's reliability, for the appointments starting in the period (in the agency's zone) or
   * all time. The agency sees all; the assistant their own; a client with an engagement with them only
   * the part of its own appointments; anyone else 404.
   */
  @Get(':id/reliability')
  async reliability(@Param('id') id: string, @Query() q: OptionalPeriodQuery, @CurrentPrincipal() p: Principal): Promise<Reliability & { assistantId: string; period: string | null }> {
    const db = this.runtime.db;
    const notFound = () => ResourceErrors.assistantNotFound(`assistant ${id} not found`);
    const filter: Record<string, unknown> = { agencyId: p.agencyId, assistantId: id };
    if (p.role === 'assistant' && p.assistantId !== id) throw notFound();
    if (p.role === 'client') {
      const shared = await db.collection<EngagementDoc>(ENGAGEMENTS).findOne({ agencyId: p.agencyId, assistantId: id, clientId: p.clientId });
      if (!shared) throw notFound();
      filter.clientId = p.clientId;
    }
    if (!(await db.collection<AssistantDoc>(ASSISTANTS).findOne({ _id: id, agencyId: p.agencyId }))) throw notFound();
    // all time, as the agency or the assistant sees it: the counts the projection keeps (one document)
    if (!q.period && p.role !== 'client') {
      return { assistantId: id, period: null, ...counts(await db.collection<ReliabilityDoc>(RELIABILITY).findOne({ _id: id, agencyId: p.agencyId })) };
    }
    let rows = await db.collection<AppointmentDoc>(APPOINTMENTS).find(filter).toArray();
    if (q.period) {
      const zone = await agencyZone(db, p.agencyId);
      rows = rows.filter((r) => inPeriod(r.startsAt, q.period!, zone));
    }
    return { assistantId: id, period: q.period ?? null, ...reliabilityOf(rows) };
  }
}
