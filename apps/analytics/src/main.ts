import 'reflect-metadata';
import { runService } from '@vaops/platform';
import { analyticsAppModule } from './app.module';
import { contractDocsPathGuard } from './contract-docs/contract-docs.http.controller';
import { SERVICE } from './service';

runService(SERVICE, analyticsAppModule, {
  // ahead of Swagger UI's static files, which are served under /docs too
  beforeListen: (a) => void a.use('/docs/events', contractDocsPathGuard),
});
