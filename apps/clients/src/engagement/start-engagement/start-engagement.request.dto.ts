import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PlanDto } from '../plan.dto';
import { IsNestedDto } from '@vaops/platform';

export class StartEngagementRequest {
  @ApiProperty()
  @IsUUID()
  clientId!: string;

  @ApiProperty()
  @IsUUID()
  assistantId!: string;

  @ApiProperty({ enum: ['part-time', 'full-time'] })
  @IsIn(['part-time', 'full-time'])
  kind!: 'part-time' | 'full-time';

  @ApiProperty({ example: 10, description: 'committed hours per week (counted against the assistant capacity)' })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0.25)
  @Max(168)
  weeklyHours!: number;

  @ApiProperty({ example: '2026-12-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'must be a date YYYY-MM-DD' })
  startsOn!: string;

  @ApiProperty({ example: 14 })
  @IsInt()
  @Min(0)
  @Max(365)
  noticePeriodDays!: number;

  @ApiPropertyOptional({ enum: [1, 2, 3], description: 'trust phase; without one every duty category is allowed' })
  @IsOptional()
  @IsIn([1, 2, 3])
  phase?: 1 | 2 | 3;

  @IsNestedDto(PlanDto)
  plan!: PlanDto;

  @ApiPropertyOptional({ description: "the agency's reason to go over the assistant's weekly capacity" })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  capacityOverrideReason?: string;
}
