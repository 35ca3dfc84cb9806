import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { APPOINTMENT_KINDS, type AppointmentKind, type RecurrenceEvery } from '@vaops/contracts';
import { DATE, SlotRequest } from '../appointment-request.dto';

export const MAX_OCCURRENCES = 52;

export class RecurrenceRequest {
  @ApiProperty({ enum: ['week', '2-weeks'] })
  @IsIn(['week', '2-weeks'])
  every!: RecurrenceEvery;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_OCCURRENCES, description: 'number of occurrences' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_OCCURRENCES)
  count?: number;

  @ApiPropertyOptional({ example: '2026-06-30', description: "last day (in the client's zone) an occurrence may fall on" })
  @IsOptional()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'must be a date YYYY-MM-DD' })
  until?: string;
}

export class BookAppointmentRequest extends SlotRequest {
  @ApiProperty()
  @IsUUID()
  engagementId!: string;

  @ApiProperty({ enum: APPOINTMENT_KINDS })
  @IsIn([...APPOINTMENT_KINDS])
  kind!: AppointmentKind;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ type: RecurrenceRequest, description: "repeats at the same local time in the client's zone" })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecurrenceRequest)
  recurrence?: RecurrenceRequest;
}
