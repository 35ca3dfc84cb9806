import { serviceModule } from '@vaops/platform';
import { ConcentrationController } from './concentration/concentration.http.controller';
import { ContractDocsController } from './contract-docs/contract-docs.http.controller';
import { AppointmentFacts } from './facts/appointments.projection';
import { AnalyticsFacts } from './facts/clients-facts.projection';
import { InvoiceFacts } from './facts/invoices.projection';
import { TimeFacts } from './facts/time.projection';
import { AnalyticsEventHandlers } from './projections';
import { ReliabilityController } from './reliability/reliability.http.controller';
import { RevenueController } from './revenue/revenue.http.controller';
import { EngagementsController } from './tenure/engagements.http.controller';
import { UtilizationController } from './utilization/utilization.http.controller';

/**
 * The analytics service: read models built only from the four public topics. It owns no stream,
 * publishes nothing and calls no other service (consumer-only runtime).
 */
export const analyticsAppModule = serviceModule({
  runtime: { consumerOnly: true },
  handlers: AnalyticsEventHandlers,
  controllers: [UtilizationController, RevenueController, ConcentrationController, ReliabilityController, EngagementsController, ContractDocsController],
  readModels: [AnalyticsFacts, TimeFacts, InvoiceFacts, AppointmentFacts],
});
