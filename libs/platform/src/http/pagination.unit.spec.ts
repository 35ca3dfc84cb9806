import { IntersectionType } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ValidationFailedError } from '../errors/problem';
import { PageQueryDto, decodeCursor, encodeCursor, toPage } from './pagination';
import { MinPositionQueryDto } from './read-after-write';

interface Position {
  createdAt: string;
  id: string;
}
const isPosition = (v: unknown): v is Position =>
  typeof v === 'object' && v !== null && typeof (v as Position).id === 'string';

function badField(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationFailedError) return err.errors.map((e) => e.field);
    throw err;
  }
  throw new Error('expected a ValidationFailedError');
}

describe('cursors', () => {
  it('round-trip a position through an opaque url-safe string', () => {
    const position = { createdAt: '2026-01-01T00:00:00.000Z', id: 'ü/+=' };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, isPosition)).toEqual(position);
  });

  it.each(['not a cursor!', Buffer.from('{nope').toString('base64url'), ''])('reject %p naming cursor', (cursor) => {
    expect(badField(() => decodeCursor(cursor))).toEqual(['cursor']);
  });

  it('reject a cursor of the wrong shape', () => {
    expect(badField(() => decodeCursor(encodeCursor([1, 2]), isPosition))).toEqual(['cursor']);
  });
});

describe('toPage', () => {
  const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

  it('points the cursor after the last item when there is more', () => {
    const page = toPage(rows, 2, (last) => ({ id: last.id }));
    expect(page.items).toEqual(rows.slice(0, 2));
    expect(decodeCursor(page.nextCursor ?? '')).toEqual({ id: 'b' });
  });

  it('has no cursor on the last page', () => {
    expect(toPage(rows, 3, (last) => last.id)).toEqual({ items: rows, nextCursor: null });
  });
});

describe('PageQueryDto', () => {
  const parse = (query: Record<string, string>) => {
    const dto = plainToInstance(PageQueryDto, query);
    return { dto, errors: validateSync(dto).map((e) => e.property) };
  };

  it('defaults limit to 50', () => {
    expect(parse({})).toEqual({ dto: expect.objectContaining({ limit: 50 }), errors: [] });
  });

  it('accepts 1..500', () => {
    expect(parse({ limit: '1' }).errors).toEqual([]);
    expect(parse({ limit: '500', cursor: 'abc' })).toEqual({ dto: { limit: 500, cursor: 'abc' }, errors: [] });
  });

  it.each(['0', '501', '2.5', 'ten', '1e2', ''])('rejects limit %p', (limit) => {
    expect(parse({ limit }).errors).toEqual(['limit']);
  });
});

describe('a list query combining paging and read-after-write', () => {
  class ListQuery extends IntersectionType(PageQueryDto, MinPositionQueryDto) {}

  it('keeps the limit default and parses minPosition', () => {
    const dto = plainToInstance(ListQuery, { minPosition: '12' });
    expect(validateSync(dto)).toEqual([]);
    expect(dto).toMatchObject({ limit: 50, minPosition: 12 });
  });

  it('validates both halves', () => {
    const dto = plainToInstance(ListQuery, { minPosition: '0', limit: '900' });
    expect(validateSync(dto).map((e) => e.property).sort()).toEqual(['limit', 'minPosition']);
  });
});
