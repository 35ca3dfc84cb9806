import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@vaops/platform';
import { BillingAppModule } from './app.module';

async function main(): Promise<void> {
  const config = loadConfig({ serviceName: 'billing', port: 3004 });
  const app = await bootstrapService(BillingAppModule.forRoot(config), config);
  const url = await app.getUrl();
  process.stdout.write(`${JSON.stringify({ level: 'log', service: 'billing', msg: `billing service listening on ${url.replace('[::1]', 'localhost')}` })}\n`);
}

main().catch((err) => {
  process.stderr.write(`billing service failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
