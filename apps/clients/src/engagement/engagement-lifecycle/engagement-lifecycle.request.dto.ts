import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PlanDto } from '../plan.dto';
import { IsNestedDto, IsRequiredText } from '@vaops/platform';

export class ChangePhaseRequest {
  @ApiProperty({ enum: [1, 2, 3] })
  @IsIn([1, 2, 3])
  phase!: 1 | 2 | 3;

  @ApiProperty({ description: 'why: every promotion or demotion is recorded with who decided and why' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

export class PartyReasonRequest {
  @ApiProperty({ enum: ['assistant', 'client'] })
  @IsIn(['assistant', 'client'])
  by!: 'assistant' | 'client';

  @ApiProperty()
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

export class LogCommunicationRequest {
  @ApiProperty({ enum: ['call', 'video', 'message', 'in-person'] })
  @IsIn(['call', 'video', 'message', 'in-person'])
  channel!: 'call' | 'video' | 'message' | 'in-person';

  @ApiProperty({ example: '2026-11-23T15:00:00Z' })
  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsRequiredText(2000)
  summary!: string;
}

export class ChangePlanRequest {
  @IsNestedDto(PlanDto)
  plan!: PlanDto;

  @ApiProperty({ example: '2026-12-01', description: 'the first day the new plan applies; never in the past' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'must be a date YYYY-MM-DD' })
  effectiveOn!: string;
}

export class ReviewCadenceRequest {
  @ApiPropertyOptional({ example: 14, description: 'a review conversation (call, video or visit) at least every N days' })
  @IsInt()
  @Min(1)
  @Max(365)
  everyDays!: number;
}
