import { ConcurrencyConflictError, DomainError, type Decider } from '@vaops/event-sourcing';
import { DeciderSpecification } from './decider-specification';

type Cmd = { type: 'Add'; n: number; expectedTotal?: number };
type Ev = { type: 'Added'; data: { n: number } };
const counter: Decider<Cmd, Ev, { total: number }> = {
  initialState: () => ({ total: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.n }),
  decide: (c, s) => {
    if (c.expectedTotal !== undefined && c.expectedTotal !== s.total) throw new ConcurrencyConflictError('counter', c.expectedTotal, s.total);
    if (s.total + c.n > 10) throw new DomainError('COUNTER.LIMIT', 'rule', `${s.total} + ${c.n} is over the limit`);
    return c.n === 0 ? [] : [{ type: 'Added', data: { n: c.n } }];
  },
};
const added = (n: number): Ev => ({ type: 'Added', data: { n } });
const add = (n: number, expectedTotal?: number): Cmd => ({ type: 'Add', n, expectedTotal });
const given = DeciderSpecification.for(counter);

describe('DeciderSpecification', () => {
  it('decides a command on the state the given events fold to', () => {
    given([added(4)]).when(add(3)).then([added(3)]);
    given(added(4)).when(add(0)).thenNothingHappened();
    given().when(add(1)).then([added(1)]);
    expect(given([added(4), added(5)]).state()).toEqual({ total: 9 });
  });

  it('decides several commands one after another, each on the state the ones before made', () => {
    const outcome = given([added(1)]).when(add(2), add(3), add(0));
    outcome.then([added(2), added(3)]);
    expect(outcome.history()).toEqual([added(1), added(2), added(3)]);
    expect(outcome.state()).toEqual({ total: 6 });
    given([added(5)]).when(add(3), add(3)).thenThrows(DomainError, 'COUNTER.LIMIT');
  });

  it('matches events field by field with thenMatches, the count included', () => {
    given().when(add(2)).thenMatches([{ type: 'Added' }]);
    expect(() => given().when(add(2), add(3)).thenMatches([{ type: 'Added' }])).toThrow();
    expect(() => given().when(add(2)).thenMatches([{ data: { n: 3 } }])).toThrow();
  });

  it('checks a refusal by class, then by code, predicate or fields', () => {
    const over = given([added(9)]).when(add(2));
    over.thenThrows(DomainError);
    over.thenThrows(DomainError, 'COUNTER.LIMIT');
    over.thenThrows(DomainError, (e) => e.kind === 'rule');
    over.thenThrows(DomainError, { code: 'COUNTER.LIMIT', kind: 'rule', message: expect.stringContaining('9 + 2') });
    given([added(9)]).when(add(1, 8)).thenThrows(ConcurrencyConflictError, { expectedVersion: 8, actualVersion: 9 });
  });

  describe('fails a test', () => {
    it('whose events differ', () => {
      expect(() => given().when(add(2)).then([added(3)])).toThrow();
      expect(() => given().when(add(2)).thenNothingHappened()).toThrow();
      expect(() => given().when(add(2), add(2)).then([added(2)])).toThrow();
    });

    it('that expects events from a refused command', () => {
      expect(() => given([added(9)]).when(add(2)).then([added(2)])).toThrow(DomainError);
    });

    it('whose command is not refused, or refused otherwise', () => {
      expect(() => given().when(add(2)).thenThrows(DomainError)).toThrow(/expected the command to be refused with DomainError/);
      expect(() => given([added(9)]).when(add(2)).thenThrows(ConcurrencyConflictError)).toThrow();
      expect(() => given([added(9)]).when(add(2)).thenThrows(DomainError, 'COUNTER.OTHER')).toThrow();
      expect(() => given([added(9)]).when(add(2)).thenThrows(DomainError, (e) => e.kind === 'conflict')).toThrow(/did not pass the check/);
      expect(() => given([added(9)]).when(add(2)).thenThrows(DomainError, { kind: 'invalid' })).toThrow();
    });
  });
});
