import 'reflect-metadata';
import { runService } from '@vaops/platform';
import { AnalyticsAppModule } from './app.module';
import { contractDocsPathGuard } from './contract-docs/contract-docs.http.controller';
import { SERVICE } from './service';

runService(SERVICE, (config) => AnalyticsAppModule.forRoot(config), {
  // ahead of Swagger UI's static files, which are served under /docs too
  beforeListen: (a) => void a.use('/docs/events', contractDocsPathGuard),
});
