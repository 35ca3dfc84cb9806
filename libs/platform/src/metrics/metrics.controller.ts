import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/decorators';
import type { HttpResponse } from '../http/http-types';
import { Metrics } from './metrics';

@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  async scrape(@Res({ passthrough: true }) res: HttpResponse): Promise<string> {
    const { contentType, body } = await this.metrics.exposition();
    res.setHeader('Content-Type', contentType);
    return body;
  }
}
