import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { HttpRequest, HttpResponse } from '../http/http-types';

export const CORRELATION_HEADER = 'X-Correlation-Id';

interface CorrelationContext {
  correlationId: string;
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
    runWithCorrelationId(correlationId, next);
  }
}
