import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@vaops/contracts';
import { PlatformModule, eventSourcedServiceProviders, type AppConfig } from '@vaops/platform';
import { toIntegrationEvent } from './integration-events';
import { INVOICE_INDEX } from './invoicing/context';
import { InvoicesController } from './invoicing/invoices.http.controller';
import { InvoiceNumbering, Invoices } from './invoicing/invoices';
import { Payouts } from './payouts/payout-streams';
import { PayoutsController } from './payouts/payouts.http.controller';
import { billingProjections } from './projections';

@Module({})
export class BillingAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BillingAppModule,
      imports: [PlatformModule.forRoot({ config })],
      controllers: [InvoicesController, PayoutsController],
      providers: [
        ...eventSourcedServiceProviders({
          config,
          topic: Topics.billing,
          map: toIntegrationEvent,
          projections: billingProjections,
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
