import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Money } from '@vaops/contracts';
import { ResourceErrors, CurrentPrincipal, ForbiddenRoleError, type Principal } from '@vaops/platform';
import { AnalyticsFacts } from '../facts/clients-facts.projection';
import { InvoiceFacts } from '../facts/invoices.projection';
import { TimeFacts } from '../facts/time.projection';
import { monthsOf } from '../shared/periods';
import { PeriodQuery } from '../shared/query';
import { revenueView, type RevenueView } from './revenue';

@ApiTags('analytics')
@Controller('analytics/clients')
export class RevenueController {
  constructor(
    private readonly facts: AnalyticsFacts,
    private readonly invoices: InvoiceFacts,
    private readonly time: TimeFacts,
  ) {}

  /**
   * Revenue, cost and margin of a client for a month or a year, by billing's margin rule (docs/analytics.md).
   * Agency only: cost and margin are the agency's business. A client asking about itself gets 403, about
   * any other client 404 (it may not learn that it exists); an assistant 403.
   */
  @Get(':id/revenue')
  async revenue(@Param('id') id: string, @Query() q: PeriodQuery, @CurrentPrincipal() p: Principal): Promise<RevenueView> {
    if (p.role === 'client' && p.clientId !== id) throw ResourceErrors.clientNotFound(`client ${id} not found`);
    if (p.role !== 'agency-admin') throw new ForbiddenRoleError(p.role);
    const client = await this.facts.client(p.agencyId, id);
    if (!client) throw ResourceErrors.clientNotFound(`client ${id} not found`);
    const months = monthsOf(q.period);
    const [invoices, approved] = await Promise.all([
      this.invoices.forClient(p.agencyId, id, months),
      this.time.approvedForClient(p.agencyId, id, months),
    ]);
    const assistantIds = [...new Set(approved.map((r) => r.assistantId))];
    const assistants = await this.facts.assistantsAmong(p.agencyId, assistantIds);
    const payRates = new Map<string, Money>(assistants.map((a) => [a._id, a.payRate]));
    return revenueView(id, q.period, client.currency, invoices, approved, payRates);
  }
}
