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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
