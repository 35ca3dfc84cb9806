import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@vaops/platform';
import { AnalyticsAppModule } from './app.module';
import { contractDocsPathGuard } from './contract-docs/contract-docs.http.controller';

async function main(): Promise<void> {
  const config = loadConfig({ serviceName: 'analytics', port: 3005 });
  const app = await bootstrapService(AnalyticsAppModule.forRoot(config), config, {
    // ahead of Swagger UI's static files, which are served under /docs too
    beforeListen: (a) => void a.use('/docs/events', contractDocsPathGuard),
  });
  const url = await app.getUrl();
  process.stdout.write(`${JSON.stringify({ level: 'log', service: 'analytics', msg: `analytics service listening on ${url.replace('[::1]', 'localhost')}` })}\n`);
}

main().catch((err) => {
  process.stderr.write(`analytics service failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
