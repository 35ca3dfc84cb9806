import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsNumber, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import type { PlanV1 } from '@vaops/contracts';
import { MoneyDto, ValidationFailedError } from '@vaops/platform';

/** `{type:"hourly", rate}` or `{type:"retainer", monthlyFee, includedHours, overageRate, rollover}`. */
export class PlanDto {
  @ApiProperty({ enum: ['hourly', 'retainer'] })
  @IsIn(['hourly', 'retainer'])
  type!: 'hourly' | 'retainer';

  @ApiPropertyOptional({ type: MoneyDto, description: 'hourly: bill rate per hour' })
  @ValidateIf((o: PlanDto) => o.type === 'hourly')
  @ValidateNested()
  @Type(() => MoneyDto)
  rate?: MoneyDto;

  @ApiPropertyOptional({ type: MoneyDto, description: 'retainer: flat monthly fee' })
  @ValidateIf((o: PlanDto) => o.type === 'retainer')
  @ValidateNested()
  @Type(() => MoneyDto)
  monthlyFee?: MoneyDto;

  @ApiPropertyOptional({ description: 'retainer: hours included in the fee each month' })
  @ValidateIf((o: PlanDto) => o.type === 'retainer')
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(744)
  includedHours?: number;

  @ApiPropertyOptional({ type: MoneyDto, description: 'retainer: rate per hour above the included hours' })
  @ValidateIf((o: PlanDto) => o.type === 'retainer')
  @ValidateNested()
  @Type(() => MoneyDto)
  overageRate?: MoneyDto;

  @ApiPropertyOptional({ description: 'retainer: unused hours roll over to the next month' })
  @ValidateIf((o: PlanDto) => o.type === 'retainer')
  @IsBoolean()
  rollover?: boolean;
}

const money = (m: MoneyDto) => ({ amountMinor: m.amountMinor, currency: m.currency });

/** The validated DTO as a plan; fields of the other plan type are refused, naming them. */
export function toPlan(dto: PlanDto, field = 'plan'): PlanV1 {
  const foreign = (names: (keyof PlanDto)[]) => names.filter((n) => dto[n] !== undefined);
  if (dto.type === 'hourly') {
    const extra = foreign(['monthlyFee', 'includedHours', 'overageRate', 'rollover']);
    if (extra.length) throw new ValidationFailedError(extra.map((n) => ({ field: `${field}.${n}`, message: 'is not part of an hourly plan' })));
    return { type: 'hourly', rate: money(dto.rate!) };
  }
  const extra = foreign(['rate']);
  if (extra.length) throw new ValidationFailedError(extra.map((n) => ({ field: `${field}.${n}`, message: 'is not part of a retainer plan' })));
  return { type: 'retainer', monthlyFee: money(dto.monthlyFee!), includedHours: dto.includedHours!, overageRate: money(dto.overageRate!), rollover: dto.rollover! };
}
