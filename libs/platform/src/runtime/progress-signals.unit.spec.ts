import { ProgressSignals } from './progress-signals';

const DIRECTORY = 'clients.directory';
type Signal = { applied: string } | { published: number[] };
const raise = (s: ProgressSignals, signal: Signal) => ('published' in signal ? s.published(signal.published) : s.applied(signal.applied));

describe('ProgressSignals', () => {
  // the read waits for position 7 of the directory, or (undefined) for the directory only: its position is known to be published
  it.each<[string, boolean, number | undefined, Signal]>([
    ["its projection's checkpoint", true, 7, { applied: DIRECTORY }],
    ["another projection's checkpoint", false, 7, { applied: 'clients.roster' }],
    ["the relay's mark of a batch with its position (the projection may have applied the event first)", true, 7, { published: [6, 7, 8] }],
    ["the relay's mark of a batch without its position", false, 7, { published: [5, 6] }],
    ["the relay's mark of a batch, once its own position is known to be published", false, undefined, { published: [7] }],
    ["its projection's checkpoint, once its own position is known to be published", true, undefined, { applied: DIRECTORY }],
  ])('a read waiting for its write, on %s: woken %p', (_what, woken, position, signal) => {
    const s = new ProgressSignals();
    let wakes = 0;
    s.next(DIRECTORY, () => wakes++, position);
    raise(s, signal);
    expect(wakes).toBe(woken ? 1 : 0);
    expect(s.waiting(DIRECTORY)).toBe(woken ? 0 : 1);
  });

  it("wakes the reads of a projection named like EventEmitter's error event, and does not throw", () => {
    const s = new ProgressSignals();
    let wakes = 0;
    expect(() => s.applied('error')).not.toThrow();
    s.next('error', () => wakes++);
    s.applied('error');
    expect(wakes).toBe(1);
  });

  it('wakes each waiting read once, then forgets it; a read that stopped waiting is not woken', () => {
    const s = new ProgressSignals();
    const woken: string[] = [];
    s.next(DIRECTORY, () => woken.push('a'), 1);
    s.next('clients.roster', () => woken.push('b'), 2);
    const stop = s.next(DIRECTORY, () => woken.push('c'), 1);
    stop();
    s.published([1, 2]);
    s.published([1, 2]);
    s.applied(DIRECTORY);
    expect(woken).toEqual(['a', 'b']);
    expect(s.waiting(DIRECTORY)).toBe(0);
  });
});
