import { EventEmitter } from 'node:events';

/** Event names apart from EventEmitter's own (a projection named `error` must not be its error event). */
const appliedBy = (projection: string) => `applied:${projection}`;
const publishedAt = (position: number) => `published:${position}`;

/**
 * What wakes a read waiting for its own write (`?minPosition=`): a projection of this process saved a
 * checkpoint, or the relay of this process marked its position published. A read needs both (its
 * position published, then applied), and either may come last: the consumer often applies an event
 * before the relay's mark of it is written. A mark wakes only the reads of the positions it marked, so
 * many reads waiting at once do not all check again on every batch.
 */
export class ProgressSignals {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  /** A projection of this process saved a checkpoint. */
  applied(projection: string): void {
    this.emitter.emit(appliedBy(projection));
  }

  /** The relay of this process marked these positions published (or private). */
  published(positions: readonly number[]): void {
    for (const p of positions) this.emitter.emit(publishedAt(p));
  }

  /**
   * Calls `signal` (at most once) on the next checkpoint of `projection`, or when `position` is marked
   * published (none: a read whose position is known to be published waits for the checkpoint only);
   * returns the unsubscribe.
   */
  next(projection: string, signal: () => void, position?: number): () => void {
    const once = () => {
      unsubscribe();
      signal();
    };
    const unsubscribe = () => {
      this.emitter.off(appliedBy(projection), once);
      if (position !== undefined) this.emitter.off(publishedAt(position), once);
    };
    this.emitter.on(appliedBy(projection), once);
    if (position !== undefined) this.emitter.on(publishedAt(position), once);
    return unsubscribe;
  }

  /** Reads waiting for `projection` (for tests). */
  waiting(projection: string): number {
    return this.emitter.listenerCount(appliedBy(projection));
  }
}
