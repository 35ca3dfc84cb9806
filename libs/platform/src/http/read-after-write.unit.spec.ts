import { ValidationFailedError } from '../errors/problem';
import { ReadModelBehindError, parseMinPosition, waitFor } from './read-after-write';

describe('waitFor', () => {
  it('resolves once the condition holds', async () => {
    let calls = 0;
    await waitFor(async () => ++calls >= 3, 1000);
    expect(calls).toBe(3);
  });

  it('gives up after the timeout with READ_MODEL.BEHIND (a conflict)', async () => {
    const started = Date.now();
    const err = await waitFor(async () => false, 150).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadModelBehindError);
    expect(err).toMatchObject({ code: 'READ_MODEL.BEHIND', kind: 'conflict' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('passes on a failing condition', async () => {
    await expect(
      waitFor(async () => {
        throw new Error('db down');
      }),
    ).rejects.toThrow('db down');
  });
});

describe('parseMinPosition', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['1', 1],
    ['42', 42],
    [7, 7],
  ])('reads %p as %p', (raw, expected) => {
    expect(parseMinPosition(raw)).toBe(expected);
  });

  it.each(['0', '-3', '1.5', 'abc', '1e3', 0, 2.5, ['1', '2']])('rejects %p naming minPosition', (raw) => {
    try {
      parseMinPosition(raw);
      throw new Error('expected a ValidationFailedError');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationFailedError);
      expect((err as ValidationFailedError).errors).toEqual([
        { field: 'minPosition', message: 'must be a positive integer' },
      ]);
    }
  });
});
