import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@vaops/event-sourcing';
import { CurrentPrincipal, Roles, type Principal } from '@vaops/platform';
import { ASSISTANTS, type AssistantDoc } from '../facts/clients-facts.projection';
import { APPROVED, type ApprovedEntryDoc } from '../facts/time.projection';
import { monthsOf } from '../shared/periods';
import { PeriodQuery } from '../shared/query';
import { RUNTIME, type Runtime } from '../runtime';
import { concentrationOf, type ConcentrationView } from './concentration';

@ApiTags('analytics')
@Controller('analytics/assistants')
export class ConcentrationController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  /**
   * How an assistant's approved billable time and income split across their clients. The agency sees
   * every assistant; an assistant only themself (another: 404); a client 403.
   */
  @Get(':id/concentration')
  @Roles('agency-admin', 'assistant')
  async concentration(@Param('id') id: string, @Query() q: PeriodQuery, @CurrentPrincipal() p: Principal): Promise<ConcentrationView> {
    if (p.role === 'assistant' && p.assistantId !== id) throw new NotFoundError('ASSISTANT.NOT_FOUND', `assistant ${id} not found`);
    const db = this.runtime.db;
    const assistant = await db.collection<AssistantDoc>(ASSISTANTS).findOne({ _id: id, agencyId: p.agencyId });
    if (!assistant) throw new NotFoundError('ASSISTANT.NOT_FOUND', `assistant ${id} not found`);
    const approved = await db.collection<ApprovedEntryDoc>(APPROVED).find({ agencyId: p.agencyId, assistantId: id, month: { $in: monthsOf(q.period) } }).toArray();
    return concentrationOf(id, q.period, assistant.payRate, approved);
  }
}
