// Cross-cutting NestJS parts every vaops service uses: config, auth, problem+json errors, logs,
// metrics, health, the test clock and HTTP helpers.
export * from './config/config';
export * from './tokens';
export * from './auth/principal';
export { mintToken, verifyToken, bearerToken, type MintOptions } from './auth/jwt';
export * from './auth/decorators';
export * from './auth/auth.guard';
export * from './errors/problem';
export * from './errors/problem.filter';
export * from './errors/validation';
export * from './logging/correlation';
export * from './logging/json-logger';
export * from './metrics/metrics';
export * from './metrics/metrics.controller';
export * from './metrics/http-metrics.middleware';
export * from './health/health.controller';
export * from './clock/test-clock.controller';
export * from './http/http-types';
export * from './http/versioning';
export * from './http/pagination';
export * from './http/read-after-write';
export * from './platform.module';
export * from './bootstrap';
export * from './runtime/event-sourced-runtime';
export * from './http/common-dto';
export * from './runtime/event-sourced-service';
export * from './runtime/scheduled-process';
export * from './runtime/rebuild-cli';
