import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ManualClock, systemClock, type Clock } from '@vaops/event-sourcing';
import { AuthGuard } from './auth/auth.guard';
import { TestClockController } from './clock/test-clock.controller';
import type { AppConfig } from './config/config';
import { ProblemDetailsFilter } from './errors/problem.filter';
import { createValidationPipe } from './errors/validation';
import { HealthChecks, HealthController } from './health/health.controller';
import { CorrelationIdMiddleware } from './logging/correlation';
import { JsonLogger } from './logging/json-logger';
import { IdempotencyInterceptor } from './http/idempotency';
import { RateLimitGuard, rateLimitModule } from './http/rate-limit';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { Metrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { APP_CONFIG, CLOCK } from './tokens';

export interface PlatformModuleOptions {
  config: AppConfig;
}

/**
 * Everything cross-cutting, as providers of a global module: the guard, filter and pipe are APP_*
 * providers so an app built by Test.createTestingModule behaves exactly like one from bootstrapService.
 */
@Module({})
export class PlatformModule implements NestModule {
  static forRoot({ config }: PlatformModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: CLOCK, useFactory: (): Clock => (config.testClock ? new ManualClock() : systemClock) },
      // Process metrics only in a real service: tests build many apps in one process.
      { provide: Metrics, useFactory: () => new Metrics({ defaultMetrics: config.environment !== 'test' }) },
      { provide: JsonLogger, useFactory: () => new JsonLogger({ service: config.serviceName, level: config.logLevel }) },
      HealthChecks,
      { provide: APP_GUARD, useClass: AuthGuard },
      // after the AuthGuard: the limits count per principal and agency
      { provide: APP_GUARD, useClass: RateLimitGuard },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      { provide: APP_PIPE, useFactory: createValidationPipe },
    ];
    return {
      module: PlatformModule,
      global: true,
      imports: [TerminusModule, DiscoveryModule, rateLimitModule(config)],
      controllers: [HealthController, MetricsController, ...(config.testClock ? [TestClockController] : [])],
      providers,
      exports: [APP_CONFIG, CLOCK, Metrics, JsonLogger],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Correlation first, so everything after it (metrics included) runs inside the request's context.
    consumer.apply(CorrelationIdMiddleware, HttpMetricsMiddleware).forRoutes('*');
  }
}
