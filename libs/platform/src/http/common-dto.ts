import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsISO4217CurrencyCode, Max, Min, registerDecorator, type ValidationOptions } from 'class-validator';

const zones = new Set(Intl.supportedValuesOf('timeZone'));

/** An IANA zone name such as `Europe/London` (UTC included), as Node's ICU knows them. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (zones.has(value) || value === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.includes('/');
  } catch {
    return false;
  }
}

export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be an IANA time zone such as Europe/London', ...options },
      validator: { validate: (v: unknown) => isTimeZone(v) },
    });
}

/** Money on the wire: integer minor units and an ISO 4217 currency, never a float. */
export class MoneyDto {
  @ApiProperty({ example: 2500, description: 'integer minor units (cents)' })
  @IsInt({ message: 'must be an integer number of minor units' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor!: number;

  @ApiProperty({ example: 'USD' })
  @IsISO4217CurrencyCode()
  currency!: string;
}
