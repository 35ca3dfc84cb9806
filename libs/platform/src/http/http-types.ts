import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/principal';

/**
 * The slice of Express' request and response the platform touches. Typed here so the lib needs no
 * @types/express; Express objects satisfy these structurally.
 */
export interface HttpRequest extends IncomingMessage {
  originalUrl?: string;
  route?: { path?: string };
  principal?: Principal;
}

export type HttpResponse = ServerResponse;

/** Anything with setHeader: an Express response from `@Res({ passthrough: true })`. */
export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}
