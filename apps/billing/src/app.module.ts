import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@vaops/contracts';
import { PlatformModule, eventSourcedServiceProviders, type AppConfig } from '@vaops/platform';
import { toIntegrationEvent } from './integration-events';
import { INVOICE_INDEX } from './invoicing/context';
import { BillingRunController } from './invoicing/billing-run/billing-run.http.controller';
import { InvoiceDetailsController } from './invoicing/invoice-details/invoice-details.http.controller';
import { InvoiceLifecycleController } from './invoicing/invoice-lifecycle/invoice-lifecycle.http.controller';
import { InvoiceNumbering, Invoices } from './invoicing/invoices';
import { Payouts } from './payouts/payout-streams';
import { PayoutsController } from './payouts/payout-report/payout-report.http.controller';
import { BillingEventHandlers } from './projections';

@Module({})
export class BillingAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BillingAppModule,
      imports: [PlatformModule.forRoot({ config }), BillingEventHandlers],
      controllers: [BillingRunController, InvoiceDetailsController, InvoiceLifecycleController, PayoutsController],
      providers: [
        ...eventSourcedServiceProviders({
          config,
          topic: Topics.billing,
          map: toIntegrationEvent,
          afterStart: async (runtime) => {
            await runtime.db.collection(INVOICE_INDEX).createIndex({ agencyId: 1 });
          },
        }),
        Invoices,
        InvoiceNumbering,
        Payouts,
      ],
    };
  }
}
