import { DomainError } from '@vaops/event-sourcing';
import type { HeaderSink } from './http-types';
import { PlatformErrors } from '../errors/platform.errors';

export class BadIfMatchError extends DomainError {
  constructor(header: string) {
    super(PlatformErrors.badIfMatch.code, PlatformErrors.badIfMatch.kind, `If-Match must be a version like "3", got ${JSON.stringify(header)}`);
    this.name = 'BadIfMatchError';
  }
}

/**
 * The expected version a write was sent with: `"3"`, `3` or `W/"3"` → 3. No header (or `*`, "any
 * version") → undefined, and the write goes ahead without the check. Anything else is a 400.
 */
export function parseIfMatch(header?: string | string[]): number | undefined {
  if (Array.isArray(header)) {
    if (header.length > 1) throw new BadIfMatchError(header.join(', '));
    header = header[0];
  }
  const value = header?.trim();
  if (value === undefined || value === '' || value === '*') return undefined;
  const match = /^(?:W\/)?"(\d{1,15})"$|^(\d{1,15})$/.exec(value);
  if (!match) throw new BadIfMatchError(value);
  return Number(match[1] ?? match[2]);
}

/**
 * The If-Match version, or undefined when the header is missing or malformed: for a route that must
 * answer 404 (what the caller may not see) before a malformed If-Match's 400, and calls parseIfMatch
 * again at that point.
 */
export function ifMatchOrNothing(header?: string | string[]): number | undefined {
  try {
    return parseIfMatch(header);
  } catch {
    return undefined;
  }
}

/** Sets the ETag a later If-Match sends back. */
export function setVersion(res: HeaderSink, version: number): void {
  res.setHeader('ETag', `"${version}"`);
}
