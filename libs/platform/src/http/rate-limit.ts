import { Injectable, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { AppConfig } from '../config/config';
import type { HttpRequest } from './http-types';
import { PlatformErrors } from '../errors/platform.errors';

/** The window every limit counts in. */
export const RATE_WINDOW_MS = 10_000;

/**
 * The settings that turn every limit off, for a process a test or a benchmark drives through one or two
 * tokens as fast as it goes (the limits have tests of their own, which pass their own settings).
 */
export const NO_RATE_LIMITS = { VAOPS_RATE_LIMIT_PRINCIPAL: '0', VAOPS_RATE_LIMIT_WRITES: '0', VAOPS_RATE_LIMIT_AGENCY: '0' } as const;

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const principalOf = (req: Record<string, unknown>) => (req as unknown as HttpRequest).principal;
const requestOf = (context: ExecutionContext) => context.switchToHttp().getRequest<HttpRequest>();

/** Too many requests in the window: 429 RATE.LIMITED with Retry-After (seconds). */
export class RateLimitedError extends Error {
  readonly code = PlatformErrors.rateLimited.code;
  constructor(
    readonly limit: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`too many requests (${limit}); retry after ${retryAfterSeconds} s`);
    this.name = 'RateLimitedError';
  }
}

/**
 * @nestjs/throttler with three limits, each counted per window of 10 s across every route of the
 * service instance (in memory: an instance counts what it serves): requests per principal, writes per
 * principal (anything but GET, HEAD, OPTIONS), and requests per agency. A limit of 0 is off.
 */
export function rateLimitModule(config: AppConfig): DynamicModule {
  const { principal, writes, agency } = config.rateLimits;
  const perPrincipal = (req: Record<string, unknown>) => {
    const p = principalOf(req)!;
    return `${p.agencyId}/${p.sub}`;
  };
  return ThrottlerModule.forRoot({
    setHeaders: false, // only Retry-After, on a 429 (set by the guard)
    // one count per principal or agency for the whole service, not one per route
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    throttlers: [
      { name: 'principal', ttl: RATE_WINDOW_MS, limit: principal, getTracker: perPrincipal, skipIf: () => principal === 0 },
      { name: 'writes', ttl: RATE_WINDOW_MS, limit: writes, getTracker: perPrincipal, skipIf: (c) => writes === 0 || READ_METHODS.has(requestOf(c).method ?? 'GET') },
      { name: 'agency', ttl: RATE_WINDOW_MS, limit: agency, getTracker: (req) => principalOf(req)!.agencyId, skipIf: () => agency === 0 },
    ],
  });
}

/**
 * Runs after the AuthGuard (it needs the principal): routes without one (health, metrics, the test
 * clock, anything @Public) and message handlers are not limited.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http' || !requestOf(context).principal;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    const res = context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>();
    res.setHeader('Retry-After', String(retryAfter));
    const [name] = detail.key.split(':');
    throw new RateLimitedError(`${detail.limit} ${name === 'writes' ? 'writes' : 'requests'} per ${RATE_WINDOW_MS / 1000} s per ${name === 'agency' ? 'agency' : 'principal'}`, retryAfter);
  }
}
