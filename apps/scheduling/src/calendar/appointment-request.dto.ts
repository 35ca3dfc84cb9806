import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
export const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO-8601 instant with its offset (`Z` preferred); a local time without a zone is refused. */
export const IsInstant = (): PropertyDecorator => (target, key) => {
  Matches(INSTANT, { message: 'must be an ISO-8601 instant such as 2026-03-09T14:00:00Z' })(target, key);
  IsISO8601({ strict: true }, { message: 'must be an ISO-8601 instant such as 2026-03-09T14:00:00Z' })(target, key);
};

export class SlotRequest {
  @ApiProperty({ example: '2026-03-09T14:00:00Z' })
  @IsInstant()
  startsAt!: string;

  @ApiProperty({ example: '2026-03-09T14:30:00Z' })
  @IsInstant()
  endsAt!: string;
}

export class RescheduleRequest extends SlotRequest {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class CancelRequest {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

