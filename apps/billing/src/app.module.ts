import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@vaops/contracts';
import { PlatformModule, eventSourcedServiceProviders, type AppConfig } from '@vaops/platform';
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

@Module({})
export class BillingAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BillingAppModule,
      imports: [PlatformModule.forRoot({ config }), BillingEventHandlers],
      controllers: [BillingRunController, InvoiceDetailsController, InvoiceHistoryController, InvoiceLifecycleController, PayoutsController],
      providers: [
        ...eventSourcedServiceProviders({
          config,
          topic: Topics.billing,
          map: toIntegrationEvent,
          afterStart: (runtime) => new InvoiceIndex(runtime).ensureIndexes(),
        }),
        Invoices,
        InvoiceNumbering,
        Payouts,
        InvoicesReadModel,
        ApprovedTime,
        BillingFacts,
        InvoiceIndex,
        BillingRun,
      ],
    };
  }
}
