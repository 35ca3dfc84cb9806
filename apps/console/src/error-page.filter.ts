import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import { ServiceError } from './api';
import { html, page } from './html';
import type { PageResponse } from './tokens';

const TITLES: Record<number, string> = { 400: 'Not understood', 401: 'Signed out', 403: 'Not allowed', 404: 'Not found', 409: 'Conflict', 413: 'Too large', 415: 'Not understood', 429: 'Too many requests' };

/**
 * Every failure as an HTML page with the status the service gave: a 404 for what does not exist or
 * belongs to someone else, 403 for a role that may see but not act, 502 when a service is down.
 */
@Catch()
export class ErrorPageFilter implements ExceptionFilter {
  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<PageResponse>();
    if (err instanceof ServiceError && err.status === 401) {
      res.redirect(303, '/signin');
      return;
    }
    // the body parser's refusals (a form too large, an unknown charset) carry their 4xx status
    const parserStatus = (err as { status?: unknown } | null)?.status;
    const status = err instanceof ServiceError ? err.status : err instanceof HttpException ? err.getStatus() : typeof parserStatus === 'number' && parserStatus >= 400 && parserStatus < 500 ? parserStatus : 500;
    const title = TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Error');
    const detail = err instanceof ServiceError ? `${err.message} (${err.code})` : status < 500 && err instanceof Error ? err.message : 'The console could not show this page.';
    if (status >= 500 && !(err instanceof ServiceError)) process.stderr.write(`${JSON.stringify({ level: 'error', service: 'console', msg: String(err instanceof Error ? err.stack : err) })}\n`);
    res.status(status).type('html').send(page(title, html`<p class="error" role="alert">${detail}</p><p><a href="/today">Today</a></p>`, null));
  }
}
