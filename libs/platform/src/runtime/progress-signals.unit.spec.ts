import { ProgressSignals } from './progress-signals';

const DIRECTORY = 'clients.directory';
type Signal = { applied: string } | 'published';
const raise = (s: ProgressSignals, signal: Signal) => (signal === 'published' ? s.published() : s.applied(signal.applied));

describe('ProgressSignals', () => {
  it.each<[string, boolean, { publication?: boolean }, Signal]>([
    ["its projection's checkpoint", true, {}, { applied: DIRECTORY }],
    ["another projection's checkpoint", false, {}, { applied: 'clients.roster' }],
    ["the relay's mark of a batch (the projection may have applied the event first)", true, {}, 'published'],
    ["the relay's mark of a batch, once its own position is known to be published", false, { publication: false }, 'published'],
    ["its projection's checkpoint, once its own position is known to be published", true, { publication: false }, { applied: DIRECTORY }],
  ])('a read waiting for its write, on %s: woken %p', (_what, woken, options, signal) => {
    const s = new ProgressSignals();
    let wakes = 0;
    s.next(DIRECTORY, () => wakes++, options);
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
    s.next(DIRECTORY, () => woken.push('a'));
    s.next('clients.roster', () => woken.push('b'));
    const stop = s.next(DIRECTORY, () => woken.push('c'));
    stop();
    s.published();
    s.published();
    s.applied(DIRECTORY);
    expect(woken).toEqual(['a', 'b']);
    expect(s.waiting(DIRECTORY)).toBe(0);
  });
});
