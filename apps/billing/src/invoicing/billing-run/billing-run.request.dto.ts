import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { PERIOD } from '../calculation';

/** The billing run's request, checked before anything runs. */
export class BillingRunRequest {
  @ApiProperty({ example: '2026-03', description: "calendar month in the agency's zone" })
  @Matches(PERIOD, { message: 'must be a month YYYY-MM' })
  period!: string;
}
