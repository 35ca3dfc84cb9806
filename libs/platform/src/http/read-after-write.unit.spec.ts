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

  describe('with a wake signal', () => {
    /** A signal source like the runtime's projection progress: `once` listeners, removed on unsubscribe. */
    const signals = () => {
      const listeners = new Set<() => void>();
      return {
        listeners,
        emit: () => [...listeners].forEach((l) => (listeners.delete(l), l())),
        wake: (signal: () => void) => (listeners.add(signal), () => void listeners.delete(signal)),
      };
    };

    it('checks again at once when the signal comes while the condition is being checked', async () => {
      jest.useFakeTimers();
      try {
        const s = signals();
        let calls = 0;
        // the first check sees nothing yet, and the checkpoint is saved while it runs
        const waited = waitFor(async () => (++calls === 1 ? (s.emit(), false) : true), 1000, s.wake);
        let done = false;
        void waited.then(() => (done = true));
        for (let i = 0; i < 10 && !done; i++) await Promise.resolve();
        expect(done).toBe(true); // no timer had to fire
        expect(calls).toBe(2);
        expect(s.listeners.size).toBe(0);
      } finally {
        jest.useRealTimers();
      }
    });

    it('checks again when the signal comes during the wait, and the signals do not lengthen the back-off', async () => {
      jest.useFakeTimers();
      try {
        const s = signals();
        let calls = 0;
        const waited = waitFor(async () => ++calls > 6, 1000, s.wake);
        let done = false;
        void waited.then(() => (done = true));
        const settle = async () => {
          for (let i = 0; i < 10; i++) await Promise.resolve();
        };
        for (let wakes = 0; wakes < 5; wakes++) {
          await settle();
          s.emit();
        }
        await settle();
        expect(calls).toBe(6);
        // five wakes later the timer is still the first one's 10 ms, not 100 ms
        jest.advanceTimersByTime(10);
        await settle();
        expect(done).toBe(true);
        expect(calls).toBe(7);
        expect(s.listeners.size).toBe(0);
      } finally {
        jest.useRealTimers();
      }
    });
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
