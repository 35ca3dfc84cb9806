import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@vaops/platform';
import { SchedulingAppModule } from './app.module';

async function main(): Promise<void> {
  const config = loadConfig({ serviceName: 'scheduling', port: 3002 });
  const app = await bootstrapService(SchedulingAppModule.forRoot(config), config);
  const url = await app.getUrl();
  process.stdout.write(`${JSON.stringify({ level: 'log', service: 'scheduling', msg: `scheduling service listening on ${url.replace('[::1]', 'localhost')}` })}\n`);
}

main().catch((err) => {
  process.stderr.write(`scheduling service failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
