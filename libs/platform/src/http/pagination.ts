import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Collection, Document, Filter, WithId } from 'mongodb';
import { ValidationFailedError } from '../errors/problem';

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

/** Query strings arrive as text; only plain digits become numbers, so "1e3" or "0x10" fail validation. */
export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;

/** `?limit=&cursor=`; extend it with a list's own filters. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit: number = DEFAULT_PAGE_LIMIT;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Opaque to clients: base64url JSON, so the position format can change without breaking them. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * The position a cursor holds. Pass a guard to check its shape; a cursor that is not ours is a 400
 * naming `cursor`.
 */
export function decodeCursor(cursor: string): unknown;
export function decodeCursor<T>(cursor: string, isPosition: (value: unknown) => value is T): T;
export function decodeCursor<T>(cursor: string, isPosition?: (value: unknown) => value is T): T | unknown {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (isPosition && !isPosition(value)) throw badCursor();
  return value;
}

/**
 * Builds a page from a query that fetched `limit + 1` rows: the extra row only says another page
 * exists, and the cursor points after the last row returned.
 */
export function toPage<T>(rows: T[], limit: number, positionOf: (last: T) => unknown): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodeCursor(positionOf(items[items.length - 1])) : null;
  return { items, nextCursor };
}

/**
 * A keyset page in (`key`, `_id`) order: `filter`'s documents after `after` (the previous page's last
 * `[key, id]`, from its cursor), `limit + 1` of them (the extra one says there is more for `toPage`), or
 * every match without a limit.
 */
export function findPage<T extends Document>(
  collection: Collection<T>,
  filter: Filter<T>,
  key: keyof T & string,
  after: readonly [string, string] | undefined,
  limit: number | undefined,
): Promise<WithId<T>[]> {
  const afterCursor = after && { $or: [{ [key]: { $gt: after[0] } }, { [key]: after[0], _id: { $gt: after[1] } }] };
  const page = (afterCursor ? { ...filter, $and: [...(filter.$and ?? []), afterCursor] } : filter) as Filter<T>;
  const found = collection.find(page).sort({ [key]: 1, _id: 1 });
  return (limit ? found.limit(limit + 1) : found).toArray();
}

const badCursor = (): ValidationFailedError =>
  new ValidationFailedError([{ field: 'cursor', message: 'is not a valid cursor' }]);
