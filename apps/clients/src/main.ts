import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@vaops/platform';
import { ClientsAppModule } from './app.module';

async function main(): Promise<void> {
  const config = loadConfig({ serviceName: 'clients', port: 3001 });
  const app = await bootstrapService(ClientsAppModule.forRoot(config), config);
  const url = await app.getUrl();
  process.stdout.write(`${JSON.stringify({ level: 'log', service: 'clients', msg: `clients service listening on ${url.replace('[::1]', 'localhost')}` })}\n`);
}

main().catch((err) => {
  process.stderr.write(`clients service failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
