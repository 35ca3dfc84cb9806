import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { MinPositionQueryDto, toInteger } from '@vaops/platform';

/** A number from the query string, or the raw value (so the validator names the field). */
const toNumber = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^\d{1,3}(\.\d+)?$/.test(value) ? Number(value) : value);

/** "a,b, c" (or the parameter repeated) as ["a", "b", "c"]; an empty list when given empty. */
const toList = ({ value }: { value: unknown }): unknown => {
  const parts = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
  if (!parts || !parts.every((p) => typeof p === 'string')) return value;
  return parts.flatMap((p: string) => p.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
};

export class MatchesQuery extends MinPositionQueryDto {
  @ApiProperty({ description: 'the client the assistant would work for' })
  @IsUUID()
  clientId!: string;

  @ApiProperty({ example: 10, description: 'the hours per week the engagement would commit (as POST /engagements)' })
  @Transform(toNumber)
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0.25)
  @Max(168)
  weeklyHours!: number;

  @ApiPropertyOptional({ example: 'bookkeeping,social-media', description: 'skills wanted, comma separated' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  skills?: string[];

  @ApiPropertyOptional({ enum: ['part-time', 'full-time'], default: 'part-time' })
  @IsOptional()
  @IsIn(['part-time', 'full-time'])
  kind?: 'part-time' | 'full-time';

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50, description: 'how many of the best matches to answer' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;
}
