import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { MinPositionQueryDto } from '@vaops/platform';
import { PERIOD } from '../../invoicing/calculation';

/** The queries of payouts and margins: a month, and for payouts optionally one assistant. */
export class PeriodQuery {
  @ApiProperty({ example: '2026-03' })
  @Matches(PERIOD, { message: 'must be a month YYYY-MM' })
  period!: string;
}

export class PayoutFilter extends PeriodQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  assistantId?: string;
}

export class PayoutsQuery extends IntersectionType(PayoutFilter, MinPositionQueryDto) {}
export class MarginsQuery extends IntersectionType(PeriodQuery, MinPositionQueryDto) {}
