import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Money } from '@vaops/contracts';
import { ResourceErrors, CurrentPrincipal, ForbiddenRoleError, type Principal } from '@vaops/platform';
import { ASSISTANTS, CLIENTS, type AssistantDoc, type ClientDoc } from '../facts/clients-facts.projection';
import { INVOICES, type InvoiceDoc } from '../facts/invoices.projection';
import { APPROVED, type ApprovedEntryDoc } from '../facts/time.projection';
import { monthsOf } from '../shared/periods';
import { PeriodQuery } from '../shared/query';
import { RUNTIME, type Runtime } from '../runtime';
import { revenueView, type RevenueView } from './revenue';

@ApiTags('analytics')
@Controller('analytics/clients')
export class RevenueController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  /**
   * Revenue, cost and margin of a client for a month or a year, by billing's margin rule (docs/analytics.md).
   * Agency only: cost and margin are the agency's business. A client asking about itself gets 403, about
   * any other client 404 (it may not learn that it exists); an assistant 403.
   */
  @Get(':id/revenue')
  async revenue(@Param('id') id: string, @Query() q: PeriodQuery, @CurrentPrincipal() p: Principal): Promise<RevenueView> {
    if (p.role === 'client' && p.clientId !== id) throw ResourceErrors.clientNotFound(`client ${id} not found`);
    if (p.role !== 'agency-admin') throw new ForbiddenRoleError(p.role);
    const db = this.runtime.db;
    const client = await db.collection<ClientDoc>(CLIENTS).findOne({ _id: id, agencyId: p.agencyId });
    if (!client) throw ResourceErrors.clientNotFound(`client ${id} not found`);
    const months = monthsOf(q.period);
    const [invoices, approved] = await Promise.all([
      db.collection<InvoiceDoc>(INVOICES).find({ agencyId: p.agencyId, clientId: id, period: { $in: months } }).toArray(),
      db.collection<ApprovedEntryDoc>(APPROVED).find({ agencyId: p.agencyId, clientId: id, month: { $in: months } }).toArray(),
    ]);
    const assistantIds = [...new Set(approved.map((r) => r.assistantId))];
    const assistants = await db.collection<AssistantDoc>(ASSISTANTS).find({ agencyId: p.agencyId, _id: { $in: assistantIds } }).toArray();
    const payRates = new Map<string, Money>(assistants.map((a) => [a._id, a.payRate]));
    return revenueView(id, q.period, client.currency, invoices, approved, payRates);
  }
}
