import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DUTY_CATEGORIES } from '@vaops/contracts';
import { IsRequiredInstant, IsRequiredText } from '@vaops/platform';

export const CATEGORY_IDS = DUTY_CATEGORIES.map((c) => c.id);

export class EntryTimesRequest {
  @ApiProperty({ enum: CATEGORY_IDS })
  @IsIn(CATEGORY_IDS)
  category!: string;

  @IsRequiredInstant('2026-03-09T14:00:00Z')
  startedAt!: string;

  @IsRequiredInstant('2026-03-09T15:00:00Z')
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
  @IsRequiredText(500)
  reason!: string;
}
