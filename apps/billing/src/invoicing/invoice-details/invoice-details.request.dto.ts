import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_PAGE_LIMIT, MinPositionQueryDto, toInteger } from '@vaops/platform';
import { PERIOD } from '../calculation';

/** The invoice list's query. */
export class InvoiceFilter {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  clientId?: string;

  @ApiPropertyOptional({ example: '2026-03' })
  @IsOptional()
  @Matches(PERIOD, { message: 'must be a month YYYY-MM' })
  period?: string;

  @ApiPropertyOptional({ enum: ['draft', 'issued', 'paid', 'void'] })
  @IsOptional()
  @IsIn(['draft', 'issued', 'paid', 'void'])
  status?: string;
}

export class InvoicesQuery extends IntersectionType(InvoiceFilter, MinPositionQueryDto) {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, description: 'a page of this many (without it, every invoice the filter matches)' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}
