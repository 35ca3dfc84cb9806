import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { ConsoleConfig } from '../config';
import { sessionOf } from '../session';
import { CONSOLE_CONFIG } from '../tokens';
import { LiveHub, MAX_PER_SESSION } from './live-hub';
import { isRegion, regionsOf, type Region } from './relevance';

const refuse = (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
};

/**
 * `GET /live?regions=agenda,alerts`: a server-sent event stream for the signed-in person. It says which
 * page region to fetch again (`event: refresh`, `data: agenda`) when an event of the stream changed it
 * for them, and whether the console is hearing the stream (`event: feed`, `data: up|down`). It carries
 * nothing else: the page reads the region through the same API calls, with the same rights, as a reload.
 */
@Controller('live')
export class LiveController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly hub: LiveHub,
  ) {}

  @Get()
  stream(@Req() req: IncomingMessage, @Res() res: ServerResponse, @Query('regions') asked?: unknown): void {
    const cookie = req.headers.cookie;
    const session = sessionOf(this.config, cookie);
    if (!session) return refuse(res, 401, 'Sign in first: /signin');
    const allowed = regionsOf(session.principal);
    const names = asked === undefined || asked === '' ? [...allowed] : typeof asked === 'string' ? asked.split(',') : [''];
    if (!names.every(isRegion)) return refuse(res, 400, `regions are a comma list of ${allowed.join(', ')}`);
    const regions = new Set<Region>((names as Region[]).filter((r) => allowed.includes(r)));
    if (regions.size === 0) return refuse(res, 403, 'none of these regions is on your pages');
    const refused = this.hub.refusal(session.token);
    if (refused === 'session-limit') return refuse(res, 429, `at most ${MAX_PER_SESSION} live pages per session`, { 'Retry-After': '60' });
    if (refused === 'process-limit') return refuse(res, 503, 'too many live pages on this console', { 'Retry-After': '30' });
    if (refused === 'closing') return refuse(res, 503, 'this console is stopping', { 'Retry-After': '5', Connection: 'close' });
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      // a proxy that buffers (nginx) passes each notification on at once
      'X-Accel-Buffering': 'no',
    });
    req.socket.setKeepAlive(true);
    req.socket.setNoDelay(true);
    const stream = this.hub.add(session.token, session.principal, regions, res, () => sessionOf(this.config, cookie)?.token === session.token);
    res.on('close', () => this.hub.remove(stream));
  }
}
