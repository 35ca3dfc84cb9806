import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { loadConsoleConfig } from './config';
import { ConsoleModule } from './console.module';
import { ErrorPageFilter } from './error-page.filter';

async function main(): Promise<void> {
  const config = loadConsoleConfig();
  const app = await NestFactory.create<NestExpressApplication>(ConsoleModule.forRoot(config), { logger: ['error', 'warn'], bodyParser: false });
  // pages post small forms only (sign-in, actions)
  app.useBodyParser('urlencoded', { limit: '8kb', extended: false });
  app.use(helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'style-src': ["'self'"] } } }));
  app.useGlobalFilters(new ErrorPageFilter());
  app.enableShutdownHooks();
  await app.listen(config.port);
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  process.stdout.write(`${JSON.stringify({ level: 'log', service: 'console', msg: `console listening on ${url}` })}\n`);
}

main().catch((err) => {
  process.stderr.write(`console failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
