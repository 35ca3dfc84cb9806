import 'reflect-metadata';
import { runService } from '@vaops/platform';
import { TimeTrackingAppModule } from './app.module';
import { SERVICE } from './service';

runService(SERVICE, (config) => TimeTrackingAppModule.forRoot(config));
