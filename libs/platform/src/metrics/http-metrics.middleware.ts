import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { HttpRequest, HttpResponse } from '../http/http-types';
import { Metrics } from './metrics';

/** Requests no route matched share one label, so scanners cannot explode the series count. */
export const UNMATCHED_ROUTE = 'unmatched';

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware<HttpRequest, HttpResponse> {
  constructor(private readonly metrics: Metrics) {}

  use(req: HttpRequest, res: HttpResponse, next: () => void): void {
    const stop = this.metrics.httpRequestDuration.startTimer();
    // Read at the end: Express only knows the matched pattern (/clients/:id) once routing ran.
    res.once('finish', () => {
      stop({ method: req.method ?? 'UNKNOWN', route: req.route?.path ?? UNMATCHED_ROUTE, status: res.statusCode });
    });
    next();
  }
}
