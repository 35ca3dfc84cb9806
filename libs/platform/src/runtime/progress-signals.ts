import { EventEmitter } from 'node:events';

const PUBLISHED = Symbol('published');
/** A projection's event name (a projection named `error` must not be EventEmitter's error event). */
const appliedBy = (projection: string) => `applied:${projection}`;

/**
 * What wakes a read waiting for its own write (`?minPosition=`): a projection of this process saved a
 * checkpoint, or the relay of this process marked a batch published. A read needs both (its position
 * published, then applied), and either may come last: the consumer often applies an event before the
 * relay's mark of it is written.
 */
export class ProgressSignals {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  /** A projection of this process saved a checkpoint. */
  applied(projection: string): void {
    this.emitter.emit(appliedBy(projection));
  }

  /** The relay of this process marked events published. */
  published(): void {
    this.emitter.emit(PUBLISHED);
  }

  /**
   * Calls `signal` (at most once) on the next checkpoint of `projection`, or on the next publication
   * while `publication` holds (a read whose position is known to be published waits for the checkpoint
   * only); returns the unsubscribe.
   */
  next(projection: string, signal: () => void, { publication = true }: { publication?: boolean } = {}): () => void {
    const once = () => {
      unsubscribe();
      signal();
    };
    const unsubscribe = () => {
      this.emitter.off(appliedBy(projection), once);
      this.emitter.off(PUBLISHED, once);
    };
    this.emitter.on(appliedBy(projection), once);
    if (publication) this.emitter.on(PUBLISHED, once);
    return unsubscribe;
  }

  /** Reads waiting for `projection` (for tests). */
  waiting(projection: string): number {
    return this.emitter.listenerCount(appliedBy(projection));
  }
}
