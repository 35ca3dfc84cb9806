import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PERIOD } from './periods';

const PERIOD_MESSAGE = 'must be a month YYYY-MM or a year YYYY';

/** `?period=2026-03` or `?period=2026`, required. */
export class PeriodQuery {
  @ApiProperty({ example: '2026-03', description: 'a month YYYY-MM, or a whole year YYYY' })
  @Matches(PERIOD, { message: PERIOD_MESSAGE })
  period!: string;
}

/** `?period=`, optional: without it, all time. */
export class OptionalPeriodQuery {
  @ApiPropertyOptional({ example: '2026-03', description: 'a month YYYY-MM, or a whole year YYYY; all time without it' })
  @IsOptional()
  @Matches(PERIOD, { message: PERIOD_MESSAGE })
  period?: string;
}

export const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64;
