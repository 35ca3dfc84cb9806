import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags, IntersectionType } from '@nestjs/swagger';
import { ResourceErrors, CurrentPrincipal, Roles, type Principal } from '@vaops/platform';
import { AnalyticsFacts } from '../facts/clients-facts.projection';
import { TimeFacts, type ApprovedEntryDoc } from '../facts/time.projection';
import { monthsOf } from '../shared/periods';
import { PeriodQuery } from '../shared/query';
import { AssistantIdsQuery } from '../reliability/reliability.http.controller';
import { concentrationOf, type ConcentrationView } from './concentration';

class ConcentrationListQuery extends IntersectionType(PeriodQuery, AssistantIdsQuery) {}

@ApiTags('analytics')
@Controller('analytics/assistants')
export class ConcentrationController {
  constructor(
    private readonly facts: AnalyticsFacts,
    private readonly time: TimeFacts,
  ) {}

  /** The concentration of a page of assistants (the agency's team view) in one read; other ids are left out. */
  @Get('concentration')
  @Roles('agency-admin')
  async list(@Query() q: ConcentrationListQuery, @CurrentPrincipal() p: Principal): Promise<{ items: ConcentrationView[] }> {
    const ids = [...new Set(q.assistantIds)];
    const [assistants, approved] = await Promise.all([this.facts.assistantsAmong(p.agencyId, ids), this.time.approvedForAssistants(p.agencyId, ids, monthsOf(q.period))]);
    const byAssistant = new Map<string, ApprovedEntryDoc[]>();
    for (const r of approved) byAssistant.set(r.assistantId, [...(byAssistant.get(r.assistantId) ?? []), r]);
    const payRate = new Map(assistants.map((a) => [a._id, a.payRate]));
    return { items: ids.filter((id) => payRate.has(id)).map((id) => concentrationOf(id, q.period, payRate.get(id)!, byAssistant.get(id) ?? [])) };
  }

  /**
   * How an assistant's approved billable time and income split across their clients. The agency sees
   * every assistant; an assistant only themself (another: 404); a client 403.
   */
  @Get(':id/concentration')
  @Roles('agency-admin', 'assistant')
  async concentration(@Param('id') id: string, @Query() q: PeriodQuery, @CurrentPrincipal() p: Principal): Promise<ConcentrationView> {
    if (p.role === 'assistant' && p.assistantId !== id) throw ResourceErrors.assistantNotFound(`assistant ${id} not found`);
    const assistant = await this.facts.assistant(p.agencyId, id);
    if (!assistant) throw ResourceErrors.assistantNotFound(`assistant ${id} not found`);
    const approved = await this.time.approvedForAssistant(p.agencyId, id, monthsOf(q.period));
    return concentrationOf(id, q.period, assistant.payRate, approved);
  }
}
