/** Injectable time. Deciders never read the clock; handlers and scheduled processes do, through this. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that tests set and advance (PUT /_test/clock when VAOPS_TEST_CLOCK=1). */
export class ManualClock implements Clock {
  private current: Date | undefined;
  constructor(initial?: Date) {
    this.current = initial;
  }
  now(): Date {
    return this.current ? new Date(this.current.getTime()) : new Date();
  }
  set(at: Date): void {
    if (Number.isNaN(at.getTime())) throw new Error('invalid date');
    this.current = new Date(at.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.now().getTime() + ms);
  }
}
