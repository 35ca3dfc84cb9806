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
      'CONCURRENCY.CONFLICT',
      'conflict',
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
