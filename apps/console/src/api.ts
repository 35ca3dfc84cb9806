import type { ConsoleConfig } from './config';
import type { StatusErrorDefinition } from '@vaops/event-sourcing';
import { httpStatusCode } from '@vaops/platform';
import { ConsoleErrors } from './console.errors';

export type ServiceName = keyof ConsoleConfig['services'];

/** A service's refusal (its problem+json code), or 502 when it could not be reached. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  /** The console's own refusal, as its errors file declares it. */
  static of(error: StatusErrorDefinition<string, number>, message: string): ServiceError {
    return new ServiceError(error.status, error.code, message);
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The five services over their public HTTP APIs, on behalf of the signed-in person (their token). */
export class ServicesApi {
  constructor(private readonly config: ConsoleConfig) {}

  get<T>(service: ServiceName, path: string, token: string): Promise<T> {
    return this.call<T>(service, 'GET', path, token);
  }

  post<T>(service: ServiceName, path: string, token: string, body: object = {}, headers: Record<string, string> = {}): Promise<T> {
    return this.call<T>(service, 'POST', path, token, body, headers);
  }

  /** A document that is not JSON (a printable page), as text. */
  async text(service: ServiceName, path: string, token: string, accept: string): Promise<string> {
    let res: Response;
    try {
      res = await fetch(`${this.config.services[service]}${path}`, { headers: { authorization: `Bearer ${token}`, accept }, signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw ServiceError.of(ConsoleErrors.serviceUnavailable, `the ${service} service did not answer (${err instanceof Error ? err.message : String(err)})`);
    }
    const body = await res.text();
    if (!res.ok) {
      let problem: { code?: string; detail?: string } = {};
      try {
        problem = JSON.parse(body) as typeof problem;
      } catch {
        // not a problem document: the status says enough
      }
      throw new ServiceError(res.status, problem.code ?? httpStatusCode(res.status), problem.detail ?? `the ${service} service answered ${res.status}`);
    }
    return body;
  }

  /** Every item of a paged list, up to `max`. */
  async all<T>(service: ServiceName, path: string, token: string, max = 1_000): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<T> = await this.get<Page<T>>(service, `${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && out.length < max);
    return out.slice(0, max);
  }

  private async call<T>(service: ServiceName, method: string, path: string, token: string, body?: object, extra: Record<string, string> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.config.services[service]}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...extra },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw ServiceError.of(ConsoleErrors.serviceUnavailable, `the ${service} service did not answer (${err instanceof Error ? err.message : String(err)})`);
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      throw ServiceError.of(ConsoleErrors.badAnswer, `the ${service} service answered ${res.status} with something other than JSON`);
    }
    if (!res.ok) {
      const problem = (parsed ?? {}) as { code?: string; detail?: string; title?: string };
      throw new ServiceError(res.status, problem.code ?? httpStatusCode(res.status), problem.detail ?? problem.title ?? `the ${service} service answered ${res.status}`);
    }
    return parsed as T;
  }
}
