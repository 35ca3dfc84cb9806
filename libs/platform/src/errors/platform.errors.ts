import { defineErrors } from '@vaops/event-sourcing';

/** What every service answers from its HTTP layer, before or around a route's own rules. */
export const PlatformErrors = defineErrors('platform', {
  // ---- requests that cannot be read (request-input.ts)
  bodyTooLarge: { code: 'REQUEST.BODY_TOO_LARGE', status: 413, meaning: 'the body is over VAOPS_BODY_LIMIT_BYTES (with a length or chunked)' },
  malformedJson: { code: 'REQUEST.MALFORMED_JSON', status: 400, meaning: 'the body is not JSON (truncated, `null`, a bare string)' },
  unsupportedCharset: { code: 'REQUEST.UNSUPPORTED_CHARSET', status: 415, meaning: 'the body is in a charset other than UTF-8' },
  unsupportedEncoding: { code: 'REQUEST.UNSUPPORTED_ENCODING', status: 415, meaning: 'a Content-Encoding other than identity, gzip, deflate or br' },
  aborted: { code: 'REQUEST.ABORTED', status: 400, meaning: 'the body ended before its Content-Length' },
  badLength: { code: 'REQUEST.BAD_LENGTH', status: 400, meaning: 'the body does not match its Content-Length' },
  unreadableBody: { code: 'REQUEST.UNREADABLE_BODY', status: 400, meaning: "the body could not be read for another reason (the parser's 4xx status, 400 as a rule)" },
  unsupportedMediaType: { code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', status: 415, meaning: 'a body whose Content-Type is not application/json or application/*+json, or is missing' },
  tooDeep: { code: 'REQUEST.TOO_DEEP', status: 400, meaning: 'a body nested more than 32 levels deep' },
  headersTooLarge: { code: 'REQUEST.HEADERS_TOO_LARGE', status: 431, meaning: 'a request line and headers over 16 kB (a long query string counts)' },
  malformedRequest: { code: 'REQUEST.MALFORMED', status: 400, meaning: 'a request that is not HTTP/1.1' },
  validationFailed: { code: 'VALIDATION.FAILED', kind: 'invalid', meaning: "a body, query or parameter breaks the route's rules; `errors` names each field" },
  // ---- who is calling
  unauthorized: { code: 'AUTH.UNAUTHORIZED', status: 401, meaning: 'a bearer token is missing, malformed, expired, badly signed or its claims do not map to a principal' },
  forbidden: { code: 'AUTH.FORBIDDEN', kind: 'forbidden', meaning: "the caller's role may see this but not do it" },
  identityProviderUnavailable: { code: 'AUTH.PROVIDER_UNAVAILABLE', kind: 'unavailable', meaning: "the identity provider's keys could not be read" },
  rateLimited: { code: 'RATE.LIMITED', status: 429, meaning: 'a rate limit (per principal, writes per principal, per agency) was reached; see Retry-After' },
  // ---- writes and reads
  badIfMatch: { code: 'HTTP.BAD_IF_MATCH', kind: 'invalid', meaning: 'an If-Match that is not a version like "3"' },
  idempotencyKeyReused: { code: 'IDEMPOTENCY.KEY_REUSED', status: 422, meaning: 'an Idempotency-Key used with another request (method, path or body) in the last 24 h' },
  idempotencyInFlight: { code: 'IDEMPOTENCY.IN_FLIGHT', kind: 'conflict', meaning: 'a request with this Idempotency-Key is still being decided; retry later' },
  readModelBehind: { code: 'READ_MODEL.BEHIND', kind: 'conflict', meaning: 'the read model did not reach ?minPosition= in time; retry' },
  eventContractViolation: { code: 'EVENT.CONTRACT_VIOLATION', status: 500, meaning: 'the command would publish an event that breaks its JSON Schema; nothing was saved (a bug)' },
  // ---- anything else
  routeNotFound: { code: 'HTTP.NOT_FOUND', status: 404, meaning: 'no route for this method and path' },
  httpException: { code: 'HTTP.<STATUS>', status: null, meaning: "another framework HttpException, named after its status (`HTTP.METHOD_NOT_ALLOWED`); the exception's status" },
  internal: { code: 'INTERNAL', status: 500, meaning: 'an unexpected error, logged with its stack; quote X-Correlation-Id when reporting it' },
  configInvalid: { code: 'CONFIG.INVALID', status: null, meaning: 'a setting is missing or invalid: the service does not start (never an HTTP answer)' },
});

/** The code of a framework HttpException with no code of its own: `HTTP.` and its status name. */
export const httpStatusCode = (statusName: string | number): string => `HTTP.${statusName}`;
