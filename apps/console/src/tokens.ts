export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');

/** What the pages use of Express's request and response (the console renders HTML itself). */
export interface PageRequest {
  headers: { cookie?: string } & Record<string, string | string[] | undefined>;
  /** The path and query string as the browser asked for them (Express's `originalUrl`). */
  originalUrl?: string;
}
export interface PageResponse {
  status(code: number): PageResponse;
  type(contentType: string): PageResponse;
  send(body: string | Buffer): void;
  redirect(status: number, url: string): void;
  setHeader(name: string, value: string | string[]): void;
}
