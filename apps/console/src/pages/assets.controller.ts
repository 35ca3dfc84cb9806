import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Controller, Get, Param, Res } from '@nestjs/common';
import type { PageResponse } from '../tokens';

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
/** The console's own files, read once: served from here, never from a CDN. */
const FILES = new Map([
  ...['console.css', 'console.js', 'live.js'].map((name) => [name, { body: readFileSync(path.join(__dirname, '..', 'assets', name)), type: TYPES[path.extname(name)] }] as const),
  // the charting library, from its npm package (no CDN)
  ['chart.js', { body: readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js')), type: TYPES['.js'] }] as const,
]);

@Controller('assets')
export class AssetsController {
  @Get(':file')
  asset(@Param('file') file: string, @Res() res: PageResponse): void {
    const f = FILES.get(file);
    if (!f) {
      res.status(404).type('text/plain').send('not found');
      return;
    }
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type(f.type).send(f.body);
  }
}
