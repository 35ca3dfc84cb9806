import 'reflect-metadata';
import { runService } from '@vaops/platform';
import { clientsAppModule } from './app.module';
import { SERVICE } from './service';

runService(SERVICE, clientsAppModule);
