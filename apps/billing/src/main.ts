import 'reflect-metadata';
import { runService } from '@vaops/platform';
import { BillingAppModule } from './app.module';
import { SERVICE } from './service';

runService(SERVICE, (config) => BillingAppModule.forRoot(config));
