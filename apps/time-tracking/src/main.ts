import 'reflect-metadata';
import { runService } from '@vaops/platform';
import { timeTrackingAppModule } from './app.module';
import { SERVICE } from './service';

runService(SERVICE, timeTrackingAppModule);
