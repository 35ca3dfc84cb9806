import { defineDecider, fold } from './decider';

type CounterEvent = { type: 'Added'; data: { by: number } } | { type: 'Reset'; data: Record<string, never> };
type CounterCommand = { type: 'Add'; data: { by: number } } | { type: 'Reset' };

const counter = defineDecider<CounterCommand, CounterEvent, number>({
  initialState: () => 0,
  evolve: (state, event) => (event.type === 'Added' ? state + event.data.by : 0),
  decide: {
    Add: (command) => (command.data.by === 0 ? [] : [{ type: 'Added', data: { by: command.data.by } }]),
    Reset: (_command, state) => (state === 0 ? [] : [{ type: 'Reset', data: {} }]),
  },
  snapshotVersion: 2,
});

describe('defineDecider', () => {
  it('hands each command to its own handler, with the state', () => {
    expect(counter.decide({ type: 'Add', data: { by: 3 } }, 0)).toEqual([{ type: 'Added', data: { by: 3 } }]);
    expect(counter.decide({ type: 'Reset' }, 0)).toEqual([]);
    expect(counter.decide({ type: 'Reset' }, 5)).toEqual([{ type: 'Reset', data: {} }]);
  });

  it('keeps initialState, evolve and snapshotVersion', () => {
    expect(fold(counter, [{ type: 'Added', data: { by: 2 } }, { type: 'Added', data: { by: 4 } }])).toBe(6);
    expect(counter.snapshotVersion).toBe(2);
  });

  it('refuses a command outside the union, even one named like an Object method', () => {
    expect(() => counter.decide({ type: 'Subtract' } as unknown as CounterCommand, 0)).toThrow('unknown command {"type":"Subtract"}');
    expect(() => counter.decide({ type: 'toString' } as unknown as CounterCommand, 0)).toThrow('unknown command');
  });
});
