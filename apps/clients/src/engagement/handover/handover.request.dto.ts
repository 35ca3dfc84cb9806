import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

export class PlanHandoverRequest {
  @ApiProperty({ description: 'the assistant who takes the engagement over (from GET /assistants/matches, or any)' })
  @IsUUID()
  replacementAssistantId!: string;

  @ApiProperty({ example: '2026-03-16', description: "the replacement's first day (agency zone): from today up to the day before the notice ends" })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'must be a date YYYY-MM-DD' })
  handoverOn!: string;

  @ApiProperty({ enum: [1, 2, 3], description: 'the trust phase the replacement starts in: the current one (keep) or lower (restart at I)' })
  @IsIn([1, 2, 3])
  startingPhase!: 1 | 2 | 3;

  @ApiPropertyOptional({ description: "the agency's reason to go over the replacement's weekly capacity" })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  capacityOverrideReason?: string;
}

export class CancelHandoverRequest {
  @ApiProperty({ description: 'why the handover is withdrawn' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}
