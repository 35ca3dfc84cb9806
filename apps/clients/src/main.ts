import 'reflect-metadata';
import { runService } from '@vaops/platform';
import { ClientsAppModule } from './app.module';
import { SERVICE } from './service';

runService(SERVICE, (config) => ClientsAppModule.forRoot(config));
