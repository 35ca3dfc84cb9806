import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError } from '@vaops/event-sourcing';
import { throwError, type Observable } from 'rxjs';
import { EventContractError } from '@vaops/contracts';
import {
  PROBLEM_CONTENT_TYPE,
  STATUS_BY_KIND,
  UnauthorizedError,
  ValidationFailedError,
  httpCode,
  problem,
  type ProblemDetails,
} from './problem';
import { IdempotencyKeyReusedError } from '../http/idempotency';
import { RateLimitedError } from '../http/rate-limit';
import { BadRequestInputError } from '../http/request-input';
import { PlatformErrors } from './platform.errors';

/** Every error an HTTP route throws leaves as application/problem+json, mapped here and nowhere else. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetailsFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Message handlers in a hybrid app: let the transport see the error so it retries or dead-letters.
    if (host.getType() !== 'http') return throwError(() => exception);

    const body = this.toProblem(exception);
    const { httpAdapter } = this.adapterHost;
    const res = host.switchToHttp().getResponse<unknown>();
    // A stream that failed halfway: the status is gone, all we can do is cut the connection.
    if (httpAdapter.isHeadersSent(res)) return httpAdapter.end(res);
    // Written raw: the adapter's reply() would reset an error body's type to application/json.
    httpAdapter.status(res, body.status);
    httpAdapter.setHeader(res, 'Content-Type', PROBLEM_CONTENT_TYPE);
    httpAdapter.end(res, JSON.stringify(body));
  }

  toProblem(exception: unknown): ProblemDetails {
    // a body too large, not JSON, too deep, in an unknown encoding (configureRequestInput turns the
    // parser's errors into these): the caller's, never a 500
    if (exception instanceof BadRequestInputError) return problem(exception.status, exception.code, exception.message);
    if (exception instanceof RateLimitedError) return problem(PlatformErrors.rateLimited.status, exception.code, exception.message);
    if (exception instanceof IdempotencyKeyReusedError) return problem(PlatformErrors.idempotencyKeyReused.status, exception.code, exception.message);
    if (exception instanceof ValidationFailedError) {
      return problem(HttpStatus.BAD_REQUEST, exception.code, exception.message, exception.errors);
    }
    if (exception instanceof DomainError) {
      const status = STATUS_BY_KIND[exception.kind];
      if (status >= 500) this.logger.warn(`${exception.code}: ${exception.message}`);
      return problem(status, exception.code, exception.message);
    }
    if (exception instanceof EventContractError) {
      // The service decided an event its own contract refuses: nothing was written; a bug, logged in full.
      this.logger.error(exception.message, exception.stack);
      return problem(PlatformErrors.eventContractViolation.status, PlatformErrors.eventContractViolation.code, 'The change would publish an event that breaks its contract; nothing was saved.');
    }
    if (exception instanceof UnauthorizedError) {
      return problem(PlatformErrors.unauthorized.status, exception.code, exception.message);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) return this.internal(exception, status);
      return problem(status, httpCode(status), httpExceptionDetail(exception));
    }
    return this.internal(exception, HttpStatus.INTERNAL_SERVER_ERROR);
  }

  /** Logged with its stack; the caller learns nothing about the internals. */
  private internal(exception: unknown, status: number): ProblemDetails {
    const err = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(`${err.name}: ${err.message}`, err.stack);
    return problem(
      status,
      status === HttpStatus.INTERNAL_SERVER_ERROR ? PlatformErrors.internal.code : httpCode(status),
      'an unexpected error occurred; quote the X-Correlation-Id header when reporting it',
    );
  }
}

function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return exception.message;
}
