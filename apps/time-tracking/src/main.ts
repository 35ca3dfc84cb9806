import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@vaops/platform';
import { TimeTrackingAppModule } from './app.module';

async function main(): Promise<void> {
  const config = loadConfig({ serviceName: 'time-tracking', port: 3003 });
  const app = await bootstrapService(TimeTrackingAppModule.forRoot(config), config);
  const url = await app.getUrl();
  process.stdout.write(`${JSON.stringify({ level: 'log', service: 'time-tracking', msg: `time-tracking service listening on ${url.replace('[::1]', 'localhost')}` })}\n`);
}

main().catch((err) => {
  process.stderr.write(`time-tracking service failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
