import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsNestedDto, IsTimeZone, MoneyDto } from '@vaops/platform';

export class WorkingHoursDto {
  @ApiProperty({ example: 1, description: 'ISO weekday: 1 Monday .. 7 Sunday' })
  @IsInt()
  @Min(1)
  @Max(7)
  day!: number;

  @ApiProperty({ example: '09:00', description: "local time in the assistant's zone" })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:mm' })
  start!: string;

  @ApiProperty({ example: '17:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'must be HH:mm' })
  end!: string;
}

export class RegisterAssistantRequest {
  @ApiProperty({ example: 'Jane Doe' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'jane@va.example' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'Asia/Manila' })
  @IsTimeZone()
  timezone!: string;

  @ApiProperty({ example: 30, description: 'hours per week across all clients' })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(168)
  weeklyCapacityHours!: number;

  @ApiProperty({ example: ['bookkeeping', 'social-media'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  skills!: string[];

  @IsNestedDto(MoneyDto, { description: 'what the agency pays the assistant per hour' })
  payRate!: MoneyDto;

  @ApiPropertyOptional({ type: [WorkingHoursDto], description: 'defaults to Monday-Friday 09:00-17:00' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(21)
  @ValidateNested({ each: true })
  @Type(() => WorkingHoursDto)
  workingHours?: WorkingHoursDto[];
}
