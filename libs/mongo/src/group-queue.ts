/** What one request of a group came to. */
export type GroupResult<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Requests that arrive while a group is under way wait, and go together in the next one: one group in
 * flight at a time, at most `max` requests each. `run` answers each request of a group, in order; if
 * it throws, every request of the group fails with its error. A request alone is a group of one.
 */
export class GroupQueue<T, R> {
  private queue: { item: T; resolve: (value: R) => void; reject: (error: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly max: number,
    private readonly run: (items: T[]) => Promise<GroupResult<R>[]>,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.max);
        try {
          const results = await this.run(group.map((g) => g.item));
          group.forEach((g, i) => {
            const r = results[i];
            if (r.ok) g.resolve(r.value);
            else g.reject(r.error);
          });
        } catch (err) {
          for (const g of group) g.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
