import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { HttpRequest, HttpResponse } from '../http/http-types';

export const CORRELATION_HEADER = 'X-Correlation-Id';

interface CorrelationContext {
  correlationId: string;
  /** Milliseconds per part of the work, in the order first recorded (the Server-Timing header). */
  timings?: Map<string, number>;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

/** The id of the request (or consumed message) being handled, for logs and event metadata. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** Runs `fn` under a correlation id; Kafka consumers call it with the id from the message headers. */
export function runWithCorrelationId<T>(correlationId: string, fn: () => T): T {
  return storage.run({ correlationId }, fn);
}

/** Adds `ms` to the part `name` of the current request's work (shown in its Server-Timing header). */
export function recordTiming(name: string, ms: number): void {
  const timings = storage.getStore()?.timings;
  if (timings) timings.set(name, (timings.get(name) ?? 0) + ms);
}

/** `Server-Timing` of a request: each recorded part, then the total. */
export function serverTiming(timings: Map<string, number>, totalMs: number): string {
  return [...timings, ['total', totalMs] as const].map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(', ');
}

// The id lands in every log line: refuse anything that could forge or bloat a line.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function correlationIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}

@Injectable()
export class CorrelationIdMiddleware implements NestMiddleware<HttpRequest, HttpResponse> {
  use(req: HttpRequest, res: HttpResponse, next: () => void): void {
    const correlationId = correlationIdFrom(req.headers['x-correlation-id']);
    res.setHeader(CORRELATION_HEADER, correlationId);
    const started = performance.now();
    const timings = new Map<string, number>();
    // Server-Timing: where the request's time went (load, decide, append, read-your-writes wait, ...),
    // set when the headers go out
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => HttpResponse;
    (res as { writeHead: (...args: unknown[]) => HttpResponse }).writeHead = (...args: unknown[]) => {
      if (!res.headersSent) res.setHeader('Server-Timing', serverTiming(timings, performance.now() - started));
      return writeHead(...args);
    };
    storage.run({ correlationId, timings }, next);
  }
}
