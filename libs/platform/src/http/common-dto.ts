import { applyDecorators, type Type } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type as TransformTo } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsISO4217CurrencyCode, IsISO8601, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested, registerDecorator, type ValidationOptions } from 'class-validator';

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

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const INSTANT_MESSAGE = 'must be an ISO-8601 instant such as 2026-03-09T14:00:00Z';

/** An ISO-8601 instant with its offset (`Z` preferred, milliseconds at most); a local time without a zone is refused. */
export const IsInstant = (): PropertyDecorator => applyDecorators(Matches(INSTANT, { message: INSTANT_MESSAGE }), IsISO8601({ strict: true }, { message: INSTANT_MESSAGE }));

/** An instant the body must carry, documented with an example (`@IsRequiredInstant('2026-03-09T14:00:00Z') startsAt!: string`). */
export const IsRequiredInstant = (example: string): PropertyDecorator => applyDecorators(IsInstant(), ApiProperty({ example }));

/**
 * A text the body must carry, 1 to `max` characters (a reason, a summary). The checks are listed in the
 * order a stack of decorators applies them (the one nearest the property first).
 */
export const IsRequiredText = (max: number): PropertyDecorator => applyDecorators(MaxLength(max), MinLength(1), IsString(), ApiProperty());

/**
 * A query parameter listing ids, comma-separated (`?assistantIds=a,b,c`): 1 to `max` ids of at most 64
 * characters each, as an array (the checks in the order a decorator stack applies them).
 */
export const IsIdList = (what: string, max: number): PropertyDecorator =>
  applyDecorators(
    MaxLength(64, { each: true }),
    IsString({ each: true }),
    ArrayMaxSize(max),
    ArrayMinSize(1),
    Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value)),
    ApiProperty({ example: 'id1,id2', description: `comma-separated ${what} ids, at most ${max}` }),
  );

/** An object of the body, checked as its own DTO class `dto` (the checks in the order a decorator stack applies them). */
export const IsNestedDto = (dto: Type<unknown>, options: Omit<ApiPropertyOptions, 'type'> = {}): PropertyDecorator =>
  applyDecorators(
    TransformTo(() => dto),
    ValidateNested(),
    ApiProperty({ type: dto, ...options } as ApiPropertyOptions),
  );

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
