import { Controller, Get, HttpStatus, Injectable, Res, ServiceUnavailableException } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { Public } from '../auth/decorators';
import type { HttpResponse } from '../http/http-types';
import { HEALTH_CHECKS } from '../tokens';

/** A readiness probe: resolves when the dependency answers, rejects (with a reason) when it does not. */
export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
}

/** A hung dependency must fail the probe, not hang it. */
export const HEALTH_CHECK_TIMEOUT_MS = 3000;

/**
 * Gathers every HEALTH_CHECKS provider in the app, so a Mongo module and a Kafka module can each
 * register theirs without knowing about each other.
 */
@Injectable()
export class HealthChecks {
  constructor(private readonly discovery: DiscoveryService) {}

  all(): HealthCheck[] {
    return this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.token === HEALTH_CHECKS && wrapper.isDependencyTreeStatic())
      .flatMap((wrapper) => (wrapper.instance as HealthCheck[] | undefined) ?? []);
  }
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly checks: HealthChecks,
  ) {}

  /** The process is up and serving HTTP; nothing else is asked. */
  @Get('live')
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** 503 naming each failing dependency under `error`. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: HttpResponse): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.checks.all().map((c) => this.toIndicator(c)));
    } catch (err) {
      // Terminus' own body is what probes and dashboards expect; keep it rather than a problem document.
      if (!(err instanceof ServiceUnavailableException)) throw err;
      res.statusCode = HttpStatus.SERVICE_UNAVAILABLE;
      return err.getResponse() as HealthCheckResult;
    }
  }

  private toIndicator({ name, check }: HealthCheck): HealthIndicatorFunction {
    return async () => {
      const session = this.indicator.check(name);
      try {
        await withTimeout(check(), HEALTH_CHECK_TIMEOUT_MS);
        return session.up();
      } catch (err) {
        return session.down({ message: err instanceof Error ? err.message : String(err) });
      }
    };
  }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
