import { Topics } from '@vaops/contracts';
import { serviceModule } from '@vaops/platform';
import { toIntegrationEvent } from './integration-events';
import { ApprovedTime } from './facts/approved-time.projection';
import { BillingFacts } from './facts/clients-facts.projection';
import { BillingRun } from './invoicing/billing-run';
import { BillingRunController } from './invoicing/billing-run/billing-run.http.controller';
import { InvoiceDetailsController } from './invoicing/invoice-details/invoice-details.http.controller';
import { InvoiceHistoryController } from './invoicing/invoice-history/invoice-history.http.controller';
import { InvoiceLifecycleController } from './invoicing/invoice-lifecycle/invoice-lifecycle.http.controller';
import { InvoiceIndex } from './invoicing/invoice-index';
import { InvoiceNumbering, Invoices } from './invoicing/invoices';
import { InvoicesReadModel } from './invoicing/invoices.projection';
import { Payouts } from './payouts/payout-streams';
import { PayoutsController } from './payouts/payout-report/payout-report.http.controller';
import { BillingEventHandlers } from './projections';

export const billingAppModule = serviceModule({
  runtime: { topic: Topics.billing, map: toIntegrationEvent },
  handlers: BillingEventHandlers,
  controllers: [BillingRunController, InvoiceDetailsController, InvoiceHistoryController, InvoiceLifecycleController, PayoutsController],
  aggregates: [Invoices, InvoiceNumbering, Payouts],
  readModels: [InvoicesReadModel, ApprovedTime, BillingFacts],
  indexes: [InvoiceIndex],
  processes: [BillingRun],
});
