import { Body, Controller, Inject, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { ManualClock } from '@vaops/event-sourcing';
import { IsISO8601 } from 'class-validator';
import { Roles } from '../auth/decorators';
import { ValidationFailedError } from '../errors/problem';
import { CLOCK } from '../tokens';

export class SetClockRequest {
  @ApiProperty({ example: '2026-12-01T09:00:00Z', description: 'ISO-8601 instant' })
  @IsISO8601({ strict: true, strictSeparator: true })
  now!: string;
}

export class ClockResponse {
  @ApiProperty() now!: string;
}

/** Only mounted under VAOPS_TEST_CLOCK=1 (config.testClock); otherwise the route is a plain 404. */
@ApiTags('test')
@ApiBearerAuth()
@Roles('agency-admin')
@Controller('_test/clock')
export class TestClockController {
  constructor(@Inject(CLOCK) private readonly clock: ManualClock) {}

  @Put()
  set(@Body() body: SetClockRequest): ClockResponse {
    const at = new Date(body.now);
    // The ISO check accepts calendar-impossible dates on some inputs; Date has the last word.
    if (Number.isNaN(at.getTime())) throw new ValidationFailedError([{ field: 'now', message: 'is not a valid date' }]);
    this.clock.set(at);
    return { now: this.clock.now().toISOString() };
  }
}

