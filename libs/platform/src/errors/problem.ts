import { STATUS_CODES } from 'node:http';
import { HttpStatus } from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '@vaops/event-sourcing';
import { PlatformErrors, httpStatusCode } from './platform.errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 body; `code` is the stable id clients branch on, `detail` is for humans. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

/** The one place where a domain error kind becomes an HTTP status. */
export const STATUS_BY_KIND: Readonly<Record<DomainErrorKind, number>> = {
  invalid: HttpStatus.BAD_REQUEST,
  'not-found': HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
  conflict: HttpStatus.CONFLICT,
  rule: HttpStatus.CONFLICT,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

/** A request failed validation; `errors` names each bad field (dotted for nested ones). */
export class ValidationFailedError extends DomainError {
  constructor(readonly errors: FieldError[]) {
    super(
      PlatformErrors.validationFailed.code,
      PlatformErrors.validationFailed.kind,
      `invalid request: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      { errors },
    );
    this.name = 'ValidationFailedError';
  }
}

/** Missing, malformed, expired or badly-claimed token. Not a DomainError: no domain kind is 401. */
export class UnauthorizedError extends Error {
  readonly code = PlatformErrors.unauthorized.code;
  constructor(message = 'a valid bearer token is required') {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

/** 403: a role that may see something but not do this (the one refusal every service uses). */
export class ForbiddenRoleError extends DomainError {
  constructor(role: string, reason?: string) {
    super(PlatformErrors.forbidden.code, PlatformErrors.forbidden.kind, reason ? `role ${role} may not do this: ${reason}` : `role ${role} may not do this`);
    this.name = 'ForbiddenRoleError';
  }
}

export function problem(status: number, code: string, detail: string, errors?: FieldError[]): ProblemDetails {
  return {
    type: `urn:vaops:problem:${code}`,
    title: statusTitle(status),
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** `NOT_FOUND` → `Not Found`; Nest's enum already holds every status we can emit. */
export function statusTitle(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  if (!name) return STATUS_CODES[status] ?? `HTTP ${status}`;
  return name
    .split('_')
    .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
    .join(' ');
}

/** Nest HttpExceptions (route not found, bad JSON body, ...) get codes derived from the status. */
export function httpCode(status: number): string {
  if (status === HttpStatus.UNAUTHORIZED) return PlatformErrors.unauthorized.code;
  if (status === HttpStatus.FORBIDDEN) return PlatformErrors.forbidden.code;
  const name = HttpStatus[status] as string | undefined;
  return httpStatusCode(name ?? status);
}
