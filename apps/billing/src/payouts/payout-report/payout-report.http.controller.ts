import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { marginOf, type Money } from '@vaops/contracts';
import { ResourceErrors, CurrentPrincipal, Roles, type Principal } from '@vaops/platform';
import { ApprovedTime } from '../../facts/approved-time.projection';
import { BillingFacts } from '../../facts/clients-facts.projection';
import { payoutAmount } from '../../invoicing/calculation';
import { payouts } from '../payouts';
import { InvoicesReadModel } from '../../invoicing/invoices.projection';
import { MarginsQuery, PayoutsQuery } from './payout-report.request.dto';

type Margin = { revenue: Money; cost: Money; margin: Money | null };
const add = (m: Map<string, Money>, key: string, amount: Money) => {
  const cur = m.get(key);
  // a mix of currencies is kept apart, never converted: the margin is then null
  m.set(key, cur ? (cur.currency === amount.currency ? { amountMinor: cur.amountMinor + amount.amountMinor, currency: cur.currency } : { amountMinor: NaN, currency: 'MIXED' }) : amount);
};
const marginFor = (revenue: Money | undefined, cost: Money | undefined, fallback: string): Margin => {
  const r = revenue ?? { amountMinor: 0, currency: cost?.currency ?? fallback };
  const c = cost ?? { amountMinor: 0, currency: r.currency };
  // the margin rule once (libs/contracts): a mix of currencies ('MIXED') has none
  return { revenue: r, cost: c, margin: marginOf(r, c) };
};

@ApiTags('payouts')
@Controller()
export class PayoutsController {
  constructor(
    private readonly approvedTime: ApprovedTime,
    private readonly invoiceViews: InvoicesReadModel,
    private readonly facts: BillingFacts,
  ) {}

  /** The agency sees every assistant's payout; an assistant only their own (another's: 404). */
  @Get('payouts')
  @Roles('agency-admin', 'assistant')
  async list(@Query() q: PayoutsQuery, @CurrentPrincipal() p: Principal) {
    await this.approvedTime.waitFor(q.minPosition);
    let assistantId = q.assistantId;
    if (p.role === 'assistant') {
      if (assistantId && assistantId !== p.assistantId) throw ResourceErrors.assistantNotFound(`assistant ${assistantId} not found`);
      assistantId = p.assistantId;
    }
    return { items: await payouts({ approvedTime: this.approvedTime, facts: this.facts }, p.agencyId, q.period, assistantId) };
  }

  /**
   * Margin per client and per assistant for a period: revenue = invoiced (draft, issued or paid) minus
   * credit notes; cost = the assistants' payouts for the time billed. Agency only.
   */
  @Get('margins')
  @Roles('agency-admin')
  async margins(@Query() q: MarginsQuery, @CurrentPrincipal() p: Principal) {
    await this.invoiceViews.waitFor(q.minPosition);
    const [invoices, engagements, rows, pays] = await Promise.all([
      this.invoiceViews.ofPeriod(p.agencyId, q.period),
      this.facts.engagementsOf(p.agencyId),
      this.approvedTime.ofMonth(p.agencyId, q.period),
      this.facts.assistantsOf(p.agencyId),
    ]);
    const assistantOf = new Map(engagements.map((e) => [e._id, e.assistantId]));
    const payRate = new Map(pays.map((a) => [a._id, a.payRate]));
    const revenueByClient = new Map<string, Money>();
    const revenueByAssistant = new Map<string, Money>();
    for (const inv of invoices.filter((i) => i.status !== 'void')) {
      add(revenueByClient, inv.clientId, { amountMinor: inv.total.amountMinor - inv.creditedMinor, currency: inv.currency });
      for (const l of inv.lines) add(revenueByAssistant, assistantOf.get(l.engagementId) ?? 'unknown', l.amount);
    }
    const minutes = new Map<string, number>();
    for (const r of rows) if (r.billable) minutes.set(`${r.clientId}|${r.assistantId}`, (minutes.get(`${r.clientId}|${r.assistantId}`) ?? 0) + r.billedMinutes);
    const costByClient = new Map<string, Money>();
    const costByAssistant = new Map<string, Money>();
    for (const [key, m] of minutes) {
      const [clientId, assistantId] = key.split('|');
      const rate = payRate.get(assistantId);
      if (!rate) continue;
      const cost = payoutAmount(m, rate);
      add(costByClient, clientId, cost);
      add(costByAssistant, assistantId, cost);
    }
    const keys = (a: Map<string, Money>, b: Map<string, Money>) => [...new Set([...a.keys(), ...b.keys()])].sort();
    return {
      period: q.period,
      clients: keys(revenueByClient, costByClient).map((clientId) => ({ clientId, ...marginFor(revenueByClient.get(clientId), costByClient.get(clientId), 'USD') })),
      assistants: keys(revenueByAssistant, costByAssistant).map((assistantId) => ({ assistantId, ...marginFor(revenueByAssistant.get(assistantId), costByAssistant.get(assistantId), 'USD') })),
    };
  }
}
