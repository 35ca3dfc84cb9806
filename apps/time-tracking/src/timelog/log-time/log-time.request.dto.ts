import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { DUTY_CATEGORIES } from '@vaops/contracts';

export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
export const CATEGORY_IDS = DUTY_CATEGORIES.map((c) => c.id);

/** An ISO-8601 instant with its offset (`Z` preferred); a local time without a zone is refused. */
export const IsInstant = (): PropertyDecorator => (target, key) => {
  Matches(INSTANT, { message: 'must be an ISO-8601 instant such as 2026-03-09T14:00:00Z' })(target, key);
  IsISO8601({ strict: true }, { message: 'must be an ISO-8601 instant such as 2026-03-09T14:00:00Z' })(target, key);
};

export class EntryTimesRequest {
  @ApiProperty({ enum: CATEGORY_IDS })
  @IsIn(CATEGORY_IDS)
  category!: string;

  @ApiProperty({ example: '2026-03-09T14:00:00Z' })
  @IsInstant()
  startedAt!: string;

  @ApiProperty({ example: '2026-03-09T15:00:00Z' })
  @IsInstant()
  endedAt!: string;

  @ApiProperty()
  @IsBoolean()
  billable!: boolean;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class LogTimeRequest extends EntryTimesRequest {
  @ApiProperty()
  @IsUUID()
  engagementId!: string;
}

export class AdjustTimeRequest extends EntryTimesRequest {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}
