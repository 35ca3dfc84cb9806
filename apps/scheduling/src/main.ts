import 'reflect-metadata';
import { runService } from '@vaops/platform';
import { schedulingAppModule } from './app.module';
import { SERVICE } from './service';

runService(SERVICE, schedulingAppModule);
