import type { INestApplication } from '@nestjs/common';
import helmet from 'helmet';
import type { AppConfig } from '../config/config';
import { answerClientErrors, configureRequestInput } from './request-input';

/**
 * The HTTP layer every service and test app shares, before any route: helmet's security headers
 * (its defaults suit the Swagger UI at /docs and the printable invoice: scripts from the service
 * itself, inline styles), then how request bodies are read, and problem+json for what Node's parser
 * refuses. The app must be created with `bodyParser: false`.
 */
export function configureHttp(app: INestApplication, config: AppConfig): void {
  app.use(helmet());
  configureRequestInput(app, config);
  answerClientErrors(app.getHttpServer());
}
