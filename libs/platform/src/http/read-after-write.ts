import { ApiPropertyOptional } from '@nestjs/swagger';
import { DomainError } from '@vaops/event-sourcing';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { ValidationFailedError } from '../errors/problem';
import { toInteger } from './pagination';
import { PlatformErrors } from '../errors/platform.errors';

/** API.md: a read waits up to 5 s for its read model to reach the position a write returned. */
export const READ_AFTER_WRITE_TIMEOUT_MS = 5000;

export class ReadModelBehindError extends DomainError {
  constructor(timeoutMs: number) {
    super(PlatformErrors.readModelBehind.code, PlatformErrors.readModelBehind.kind, `the read model did not catch up within ${timeoutMs} ms; retry`);
    this.name = 'ReadModelBehindError';
  }
}

/**
 * Checks `condition` until it holds: again as soon as `wake` signals (in the runtime: a projection of
 * this process saved a checkpoint, or its relay marked a batch published), and otherwise after 10 ms,
 * backing off to 100 ms (another instance may apply it).
 *
 * The wake is listened for while the condition is checked too: a checkpoint saved during that query
 * means a new check at once, not a lost signal and a wait for the timer. Only a wait that timed out
 * lengthens the next one; a busy projection that signals often keeps the timer short.
 */
export async function waitFor(
  condition: () => Promise<boolean>,
  timeoutMs = READ_AFTER_WRITE_TIMEOUT_MS,
  wake?: (signal: () => void) => () => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  for (;;) {
    let woken = false;
    let stopWaiting: (() => void) | undefined;
    const unsubscribe = wake?.(() => {
      woken = true;
      stopWaiting?.();
    });
    try {
      if (await condition()) return;
      const left = deadline - Date.now();
      if (left <= 0) throw new ReadModelBehindError(timeoutMs);
      if (!woken) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(delay, left));
          stopWaiting = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      unsubscribe?.();
    }
    if (!woken) delay = Math.min(delay * 2, 100);
  }
}

/** `?minPosition=` from a write response; combine with a list's query DTO via IntersectionType. */
export class MinPositionQueryDto {
  @ApiPropertyOptional({ minimum: 1, description: 'position a write returned; the read waits for it' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  minPosition?: number;
}

/** For routes that read the raw query: a positive integer, absent, or a 400 naming `minPosition`. */
export function parseMinPosition(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ValidationFailedError([{ field: 'minPosition', message: 'must be a positive integer' }]);
  }
  return n;
}
