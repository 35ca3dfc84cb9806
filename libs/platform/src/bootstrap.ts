import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { loadConfig, type AppConfig } from './config/config';
import { startEventHandlers } from './events/event-handlers';
import { configureHttp } from './http/http-setup';
import { JsonLogger } from './logging/json-logger';

export interface BootstrapOptions {
  /** Runs after the app is created and before it listens: connect microservices, set a prefix. */
  beforeListen?: (app: INestApplication) => Promise<void> | void;
}

/** Creates, documents and starts a service. AppModule must import PlatformModule.forRoot({ config }). */
export async function bootstrapService(
  appModule: Type<unknown> | DynamicModule,
  config: AppConfig,
  options: BootstrapOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(appModule, {
    logger: new JsonLogger({ service: config.serviceName, level: config.logLevel }),
    bodyParser: false, // configureHttp's body limits instead of Nest's defaults
  });
  configureHttp(app, config);
  // Lets SIGTERM close Kafka consumers and Mongo connections (OnApplicationShutdown) before exit.
  app.enableShutdownHooks();
  await options.beforeListen?.(app);
  setupSwagger(app, config);
  // the service's @ProjectionHandler controllers, on ProjectionTransport over the runtime's consumer groups
  // (it initialises the app: routes added after this would answer 404)
  await startEventHandlers(app);
  await (config.host === undefined ? app.listen(config.port) : app.listen(config.port, config.host));
  return app;
}

/** Swagger UI at /docs, the document at /docs-json; served outside Nest routing, so no token needed. */
export function setupSwagger(app: INestApplication, config: AppConfig): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`vaops ${config.serviceName}`)
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addSecurityRequirements('bearer')
      .build(),
  );
  // every POST, PUT and PATCH takes an Idempotency-Key (IdempotencyInterceptor)
  for (const item of Object.values(document.paths)) {
    for (const op of [item.post, item.put, item.patch]) {
      if (!op) continue;
      op.parameters = [
        ...(op.parameters ?? []),
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Retries with the same key and request within 24 h get the first answer again (Idempotent-Replayed: true) without deciding again; the same key with another request is 422 IDEMPOTENCY.KEY_REUSED; scoped to the caller.',
          schema: { type: 'string', maxLength: 255 },
        },
      ];
    }
  }
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** What names a service and where it listens by default: each app's `service.ts`, read by its `main.ts`. */
export interface ServiceDescriptor {
  /** The service's name: its logs, metrics, consumer groups and API title. */
  readonly name: string;
  /** The port it listens on unless PORT says otherwise. */
  readonly port: number;
}

/**
 * A service's whole `main`: reads its settings (the descriptor's defaults, the environment over them),
 * builds its module, starts it and says where it listens; a failure to start is one line on stderr and
 * exit code 1.
 */
export function runService(service: ServiceDescriptor, appModule: (config: AppConfig) => Type<unknown> | DynamicModule, options: BootstrapOptions = {}): void {
  const start = async () => {
    const config = loadConfig({ serviceName: service.name, port: service.port });
    const app = await bootstrapService(appModule(config), config, options);
    const url = (await app.getUrl()).replace('[::1]', 'localhost');
    process.stdout.write(`${JSON.stringify({ level: 'log', service: service.name, msg: `${service.name} service listening on ${url}` })}\n`);
  };
  start().catch((err: unknown) => {
    process.stderr.write(`${service.name} service failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
