import { EventSourcingErrors } from './event-sourcing.errors';

/**
 * Domain errors carry a stable code (`ENGAGEMENT.NOTICE_REQUIRED`) and a kind; the HTTP layer maps
 * kinds to statuses in one place (libs/platform problem-details filter).
 */
export type DomainErrorKind = 'invalid' | 'not-found' | 'forbidden' | 'conflict' | 'rule' | 'unavailable';

export class DomainError extends Error {
  constructor(
    public readonly code: string,
    public readonly kind: DomainErrorKind,
    message: string,
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Another writer appended to the stream first (or an If-Match was stale). */
export class ConcurrencyConflictError extends DomainError {
  constructor(
    public readonly streamId: string,
    public readonly expectedVersion: number,
    public readonly actualVersion?: number,
  ) {
    super(
      EventSourcingErrors.concurrencyConflict.code,
      EventSourcingErrors.concurrencyConflict.kind,
      actualVersion === undefined
        ? `stream ${streamId} changed concurrently: expected version ${expectedVersion}`
        : `stream ${streamId} is at version ${actualVersion}, expected ${expectedVersion}`,
    );
    this.name = 'ConcurrencyConflictError';
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string) {
    super(code, 'not-found', message);
    this.name = 'NotFoundError';
  }
}

// ---- error codes, declared once per module (`<module>.errors.ts`) ----

/** A code thrown as a DomainError: its kind decides the HTTP status. */
export interface DomainErrorSpec {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly meaning: string;
}

/** A code answered without a DomainError (the HTTP layer itself, a report): a fixed status, or null for none. */
export interface StatusErrorSpec {
  readonly code: string;
  readonly status: number | null;
  readonly meaning: string;
}

export type ErrorSpec = DomainErrorSpec | StatusErrorSpec;

interface ErrorDefinitionOf<C extends string> {
  /** Where it is declared: `<service>/<area>`, or a library. */
  readonly module: string;
  readonly code: C;
  readonly meaning: string;
}

/** Call it with the detail (and details, if any) to get the error to throw. */
export interface DomainErrorDefinition<C extends string = string> extends ErrorDefinitionOf<C> {
  readonly kind: DomainErrorKind;
  (message: string, details?: Record<string, unknown>): DomainError;
}

export interface StatusErrorDefinition<C extends string = string, S extends number | null = number | null> extends ErrorDefinitionOf<C> {
  readonly status: S;
}

export type ErrorDefinition = DomainErrorDefinition | StatusErrorDefinition;

type Defined<S> = S extends { readonly kind: DomainErrorKind; readonly code: infer C extends string }
  ? DomainErrorDefinition<C>
  : S extends { readonly code: infer C extends string; readonly status: infer St extends number | null }
    ? StatusErrorDefinition<C, St>
    : never;

/**
 * Declares a module's codes, each once: `throw EngagementErrors.noticeRequired('...')`. The table in
 * docs/errors.md is generated from every `*.errors.ts` (`npm run errors:generate`).
 */
export function defineErrors<const T extends Readonly<Record<string, ErrorSpec>>>(module: string, specs: T): { readonly [K in keyof T]: Defined<T[K]> } {
  // no module-level constant: event-sourcing.errors.ts calls this while errors.ts may still be loading
  const brand = { [Symbol.for('vaops.error-definition')]: true };
  const defined: Record<string, ErrorDefinition> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const { code, meaning } = spec;
    if ('kind' in spec) {
      const { kind } = spec;
      // not-found errors stay NotFoundErrors, as they were thrown before the codes were listed
      const create = (message: string, details?: Record<string, unknown>): DomainError =>
        kind === 'not-found' && details === undefined ? new NotFoundError(code, message) : new DomainError(code, kind, message, details);
      defined[name] = Object.freeze(Object.assign(create, brand, { module, code, kind, meaning }));
    } else {
      defined[name] = Object.freeze({ ...brand, module, code, status: spec.status, meaning });
    }
  }
  return Object.freeze(defined) as { readonly [K in keyof T]: Defined<T[K]> };
}

export function isErrorDefinition(value: unknown): value is ErrorDefinition {
  return (typeof value === 'function' || (typeof value === 'object' && value !== null)) && (value as Record<symbol, unknown>)[Symbol.for('vaops.error-definition')] === true;
}
