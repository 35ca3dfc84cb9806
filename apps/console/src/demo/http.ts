import { PlatformErrors } from '@vaops/platform';
/**
 * The five services' public HTTP APIs as the demo seed calls them: every write with an Idempotency-Key
 * (a retry after a dropped connection is answered, not decided twice), a 429 waited out as its
 * Retry-After says, and any other refusal an error naming the call, its status and the body.
 */

export type ServiceName = 'clients' | 'scheduling' | 'timeTracking' | 'billing' | 'analytics';
export type ServiceUrls = Record<ServiceName, string>;

export class SeedError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'SeedError';
  }
}

/** At most `limit` calls at once; the rest wait their turn in order. */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** Set once any part of the seed failed: the others stop at their next call. */
export interface Aborted {
  reason: unknown;
}

export interface CallOptions {
  /** Idempotency-Key of a write. */
  key?: string;
  /** Statuses answered as they are instead of thrown (a poll's 404, say). */
  accept?: number[];
}

export interface Answer<T> {
  status: number;
  body: T;
}

/** What a call answers once another part of the seed failed. */
class StoppedError extends Error {
  constructor() {
    super('stopped: another part of the seed failed');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_RATE_LIMITED = 12;
const MAX_DROPPED = 3;

export class DemoApi {
  /** Calls made, and how long 429s made the seed wait. */
  readonly stats = { calls: 0, rateLimitedMs: 0 };

  constructor(
    private readonly urls: ServiceUrls,
    private readonly limiter: Limiter,
    private readonly aborted: Aborted = { reason: null },
  ) {}

  get<T>(service: ServiceName, path: string, token: string, options: CallOptions = {}): Promise<Answer<T>> {
    return this.call<T>(service, 'GET', path, token, undefined, options);
  }

  /** A write: its body, or a SeedError. */
  async write<T>(service: ServiceName, method: 'POST' | 'PUT', path: string, token: string, body: object, key: string): Promise<T> {
    return (await this.call<T>(service, method, path, token, body, { key })).body;
  }

  async call<T>(service: ServiceName, method: string, path: string, token: string, body: object | undefined, options: CallOptions = {}): Promise<Answer<T>> {
    const url = `${this.urls[service]}${path}`;
    const what = `${method} ${url}`;
    let rateLimited = 0;
    let dropped = 0;
    for (;;) {
      let res: Response;
      try {
        res = await this.limiter.run(() => {
          if (this.aborted.reason !== null) throw new StoppedError();
          return fetch(url, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(body ? { 'content-type': 'application/json' } : {}),
              ...(options.key ? { 'idempotency-key': options.key } : {}),
            },
            body: body ? JSON.stringify(body) : undefined,
            signal: AbortSignal.timeout(30_000),
          });
        });
      } catch (err) {
        if (err instanceof StoppedError) throw err;
        // a write is retried only with its key: the service then answers it, never decides it twice
        if ((method === 'GET' || options.key) && ++dropped <= MAX_DROPPED) {
          await sleep(500 * dropped);
          continue;
        }
        throw new SeedError(0, null, `${what} failed: ${err instanceof Error ? err.message : String(err)} (is the ${service} service running?)`);
      }
      this.stats.calls++;
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      const code = typeof parsed === 'object' && parsed !== null && 'code' in parsed ? String((parsed as { code: unknown }).code) : null;
      if (res.status === 429 && ++rateLimited <= MAX_RATE_LIMITED) {
        const wait = Math.max(1, Number(res.headers.get('retry-after') ?? 1)) * 1000;
        this.stats.rateLimitedMs += wait;
        await sleep(wait);
        continue;
      }
      // the same key still being decided by its first request: wait for its answer
      if (res.status === 409 && code === PlatformErrors.idempotencyInFlight.code && ++dropped <= MAX_DROPPED) {
        await sleep(1000);
        continue;
      }
      if (res.ok || options.accept?.includes(res.status)) return { status: res.status, body: parsed as T };
      throw new SeedError(res.status, code, `${what}${body ? ` ${JSON.stringify(body)}` : ''} answered ${res.status}: ${text.slice(0, 2000)}`);
    }
  }
}

/** Polls `check` until it gives a value, or fails after `timeoutMs` naming what it waited for. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      // a refusal is final: only "not there yet" (404) and "not read yet" (409) are waited out
      if (!(err instanceof SeedError) || (err.status !== 404 && err.status !== 409)) throw err;
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${last instanceof Error ? ` (last: ${last.message})` : ''}`);
    await sleep(intervalMs);
  }
}

/** Runs `fn` over `items`, `concurrency` at a time; the first error stops it and is thrown. */
export async function each<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown = null;
  const worker = async () => {
    while (failed === null && next < items.length) {
      const i = next++;
      try {
        await fn(items[i], i);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failed !== null) throw failed;
}
