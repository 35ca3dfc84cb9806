import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AppConfig } from '../config/config';
import type { StatusErrorDefinition } from '@vaops/event-sourcing';
import { PROBLEM_CONTENT_TYPE, problem, statusTitle } from '../errors/problem';
import { PlatformErrors } from '../errors/platform.errors';

/** Nesting a request body may have: our deepest DTO is 4 levels; validators recurse, so bound it. */
export const MAX_BODY_DEPTH = 32;

/** A request the caller sent that cannot be read at all (size, media type, encoding, depth, syntax). */
export class BadRequestInputError extends Error {
  readonly code: string;
  constructor(
    error: StatusErrorDefinition<string, number>,
    message: string,
    readonly status: number = error.status,
  ) {
    super(message);
    this.code = error.code;
    this.name = 'BadRequestInputError';
  }
}

/** What body-parser (under Nest's `useBodyParser`) reports, by its error `type`, as our status and code. */
const BODY_PARSER_ERRORS: Readonly<Record<string, { error: StatusErrorDefinition<string, number>; detail: (limit: unknown) => string }>> = {
  'entity.too.large': { error: PlatformErrors.bodyTooLarge, detail: (limit) => (typeof limit === 'number' ? `the body is larger than ${limit} bytes` : 'the body is too large') },
  'entity.parse.failed': { error: PlatformErrors.malformedJson, detail: () => 'the body is not valid JSON (an object or an array)' },
  'charset.unsupported': { error: PlatformErrors.unsupportedCharset, detail: () => 'the body must be UTF-8' },
  'encoding.unsupported': { error: PlatformErrors.unsupportedEncoding, detail: () => 'the body must not use this Content-Encoding (identity, gzip, deflate or br)' },
  'request.aborted': { error: PlatformErrors.aborted, detail: () => 'the body ended before its length' },
  'request.size.invalid': { error: PlatformErrors.badLength, detail: () => 'the body does not match its Content-Length' },
};

/**
 * The error body-parser raised as the caller's fault, as a BadRequestInputError; undefined for anything
 * else. A corrupt compressed body fails inside zlib (no `type`, status 400): malformed too.
 */
export function requestInputErrorOf(err: unknown): BadRequestInputError | undefined {
  if (err instanceof BadRequestInputError) return err;
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, status, expose, limit } = err as { type?: unknown; status?: unknown; expose?: unknown; limit?: unknown };
  const known = typeof type === 'string' ? BODY_PARSER_ERRORS[type] : undefined;
  if (known) return new BadRequestInputError(known.error, known.detail(limit));
  if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    return new BadRequestInputError(PlatformErrors.unreadableBody, 'the body could not be read', status);
  }
  return undefined;
}

/** JSON, or a +json type; what every route of every service takes. */
function isJson(contentType: string): boolean {
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

/** Depth of a parsed JSON value, without recursion (a body nested 100,000 deep must not blow the stack). */
export function depthOf(value: unknown, max: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > max) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Request bodies the same way in every service and test app: JSON only (415 otherwise), at most
 * `bodyLimitBytes` (413), nested at most MAX_BODY_DEPTH (400), and whatever the parser refuses as a
 * 400/413/415 with a code (the problem filter maps them). The app must be created with
 * `bodyParser: false`, so these replace Nest's defaults (100 kB, urlencoded too).
 */
export function configureRequestInput(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.use((req: IncomingMessage, _res: ServerResponse, next: (err?: unknown) => void) => {
    if (!hasBody(req)) return next();
    const type = req.headers['content-type'];
    if (type === undefined || !isJson(type)) {
      return next(new BadRequestInputError(PlatformErrors.unsupportedMediaType, `a body must be application/json${type ? `, not ${type.split(';')[0]}` : ' (no Content-Type was sent)'}`));
    }
    next();
  });
  express.useBodyParser('json', { limit: config.bodyLimitBytes, type: isJsonRequest });
  // the parser's errors as ours here, before Nest turns a syntax error into a bare 400 without its type
  express.use((err: unknown, _req: IncomingMessage, _res: ServerResponse, next: (err?: unknown) => void) => next(requestInputErrorOf(err) ?? err));
  express.use((req: IncomingMessage & { body?: unknown }, _res: ServerResponse, next: (err?: unknown) => void) => {
    if (req.body !== undefined && depthOf(req.body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
      return next(new BadRequestInputError(PlatformErrors.tooDeep, `the body is nested more than ${MAX_BODY_DEPTH} levels deep`));
    }
    next();
  });
}

function isJsonRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return type !== undefined && isJson(type);
}

/**
 * What Node's HTTP parser refuses before any route sees it (headers or a URL over 16 kB, a malformed
 * request line) leaves as problem+json too, instead of a bare status line.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? PlatformErrors.headersTooLarge.status : PlatformErrors.malformedRequest.status;
    const body = JSON.stringify(
      tooLarge
        ? problem(status, PlatformErrors.headersTooLarge.code, 'the request line and headers are larger than 16 kB (a long query string counts)')
        : problem(status, PlatformErrors.malformedRequest.code, 'the request is not valid HTTP/1.1'),
    );
    socket.end(`HTTP/1.1 ${status} ${statusTitle(status)}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
