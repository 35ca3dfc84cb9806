import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@vaops/contracts';
import { PlatformModule, eventSourcedServiceProviders, type AppConfig } from '@vaops/platform';
import { toIntegrationEvent } from './integration-events';
import { INVOICE_INDEX } from './invoicing/context';
import { InvoicesController } from './invoicing/invoices.http.controller';
import { PayoutsController } from './payouts/payouts.http.controller';
import { BillingEventHandlers } from './projections';

@Module({})
export class BillingAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BillingAppModule,
      imports: [PlatformModule.forRoot({ config }), BillingEventHandlers],
      controllers: [InvoicesController, PayoutsController],
      providers: [
        ...eventSourcedServiceProviders({
          config,
          topic: Topics.billing,
          map: toIntegrationEvent,
          afterStart: async (runtime) => {
            await runtime.db.collection(INVOICE_INDEX).createIndex({ agencyId: 1 });
          },
        }),
      ],
    };
  }
}
