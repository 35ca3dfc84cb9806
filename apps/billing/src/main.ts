import 'reflect-metadata';
import { runService } from '@vaops/platform';
import { billingAppModule } from './app.module';
import { SERVICE } from './service';

runService(SERVICE, billingAppModule);
