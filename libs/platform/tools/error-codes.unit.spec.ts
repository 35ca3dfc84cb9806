import { DomainError, NotFoundError } from '@vaops/event-sourcing';
import { PlatformErrors } from '../src/errors/platform.errors';
import { STATUS_BY_KIND } from '../src/errors/problem';
import { ResourceErrors } from '../src/errors/resource.errors';
import { declaredCodes, duplicateCodes, errorsFiles, inlineCodeLines, inlineCodes, isErrorsDocStale, undeclaredDocumentedCodes } from './error-codes';

describe('error codes', () => {
  const codes = declaredCodes();

  it('are declared by an errors file per module', () => {
    expect(errorsFiles().length).toBeGreaterThanOrEqual(10);
    expect(codes.length).toBeGreaterThanOrEqual(75);
  });

  it('are each declared once, by one module', () => {
    expect(duplicateCodes(codes)).toEqual([]);
  });

  it('are never written inline outside an errors file: a throw names a declared code', () => {
    expect(inlineCodes()).toEqual([]);
  });

  it('scanning finds literal and built codes, not comments', () => {
    const source = ["throw new DomainError('ENGAGEMENT.ENDED', 'rule', 'x');", "// says 'ENGAGEMENT.ENDED'", ' * `ENGAGEMENT.ENDED`', 'const c = `${role}.NOT_FOUND`;', 'const h = `HTTP.${status}`;', "f(); // 'A.B'"].join('\n');
    expect(inlineCodeLines(source)).toEqual([1, 4, 5]);
  });

  it('named in the README and docs/ are all declared', () => {
    expect(undeclaredDocumentedCodes(codes)).toEqual([]);
  });

  it('throw a DomainError with the declared code and kind, hence status', () => {
    for (const c of codes.filter((x) => x.kind !== null)) expect(c.status).toBe(STATUS_BY_KIND[c.kind as keyof typeof STATUS_BY_KIND]);
    const err = PlatformErrors.validationFailed('amountMinor must be a positive integer', { field: 'amountMinor' });
    expect(err).toBeInstanceOf(DomainError);
    expect({ code: err.code, kind: err.kind, message: err.message, details: err.details }).toEqual({
      code: 'VALIDATION.FAILED',
      kind: 'invalid',
      message: 'amountMinor must be a positive integer',
      details: { field: 'amountMinor' },
    });
    // not-found errors stay NotFoundErrors
    expect(ResourceErrors.engagementNotFound('engagement e-1 not found')).toEqual(new NotFoundError('ENGAGEMENT.NOT_FOUND', 'engagement e-1 not found'));
    expect(ResourceErrors.engagementNotFound('x')).toBeInstanceOf(NotFoundError);
  });

  it('are listed in docs/errors.md as generated (run `npm run errors:generate` after changing an errors file)', () => {
    expect(isErrorsDocStale()).toBe(false);
  });
});
