import 'reflect-metadata';
import { runService } from '@vaops/platform';
import { SchedulingAppModule } from './app.module';
import { SERVICE } from './service';

runService(SERVICE, (config) => SchedulingAppModule.forRoot(config));
