import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from './config/config';
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
  await app.listen(config.port);
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
