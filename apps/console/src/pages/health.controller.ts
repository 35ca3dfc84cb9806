import { Controller, Get } from '@nestjs/common';

/** The console holds no state: it is ready once it listens (each page says when a service is down). */
@Controller('health')
export class HealthController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  ready() {
    return { status: 'ok' };
  }
}
