import { ProgressSignals } from './progress-signals';

describe('ProgressSignals', () => {
  it("wakes a waiting read on its projection's checkpoint, once, and not on another projection's", () => {
    const s = new ProgressSignals();
    const woken: string[] = [];
    s.next('clients.directory', () => woken.push('a'));
    s.applied('clients.roster');
    expect(woken).toEqual([]);
    s.applied('clients.directory');
    s.applied('clients.directory');
    expect(woken).toEqual(['a']);
    expect(s.waiting('clients.directory')).toBe(0);
  });

  it('wakes a waiting read when the relay marks a batch published (the projection may have applied it first)', () => {
    const s = new ProgressSignals();
    const woken: string[] = [];
    s.next('clients.directory', () => woken.push('a'));
    s.next('clients.roster', () => woken.push('b'));
    s.published();
    expect(woken).toEqual(['a', 'b']);
    s.published();
    s.applied('clients.directory');
    expect(woken).toEqual(['a', 'b']);
    expect(s.waiting('clients.directory')).toBe(0);
  });

  it('does not wake a read on publications once its own is known to be published', () => {
    const s = new ProgressSignals();
    const woken: string[] = [];
    s.next('clients.directory', () => woken.push('a'), { publication: false });
    s.published();
    expect(woken).toEqual([]);
    s.applied('clients.directory');
    expect(woken).toEqual(['a']);
    expect(s.waiting('clients.directory')).toBe(0);
  });

  it('forgets a read that stopped waiting', () => {
    const s = new ProgressSignals();
    const woken: string[] = [];
    const stop = s.next('clients.directory', () => woken.push('a'));
    expect(s.waiting('clients.directory')).toBe(1);
    stop();
    s.published();
    s.applied('clients.directory');
    expect(woken).toEqual([]);
    expect(s.waiting('clients.directory')).toBe(0);
  });
});
