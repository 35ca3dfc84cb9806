import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidationFailedError, type FieldError } from './problem';

/**
 * Rejects unknown fields (so no one sets agencyId, id or version by hand) and turns class-validator's
 * tree into a flat `errors: [{field, message}]` with dotted paths.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // One message per field: "must be an integer" says enough without "and ≥ 1 and ≤ 500".
    stopAtFirstError: true,
    // The messages name fields already; values could be secrets or personal data.
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors)),
  });
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'is not allowed' : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}
