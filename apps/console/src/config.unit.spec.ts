import { loadConsoleConfig } from './config';

describe('the console config: the test clock', () => {
  const production = { NODE_ENV: 'production', VAOPS_JWT_SECRET: 'x'.repeat(40) };

  it('is off unless VAOPS_TEST_CLOCK says 1 or true', () => {
    expect([loadConsoleConfig({}), loadConsoleConfig({ VAOPS_TEST_CLOCK: '0' }), loadConsoleConfig({ VAOPS_TEST_CLOCK: '1' }), loadConsoleConfig({ VAOPS_TEST_CLOCK: 'true' })].map((c) => c.testClock)).toEqual([false, false, true, true]);
  });

  it('refuses another value, and any test clock in production', () => {
    expect(() => loadConsoleConfig({ VAOPS_TEST_CLOCK: 'yes' })).toThrow('VAOPS_TEST_CLOCK must be 1 or 0, got "yes"');
    expect(() => loadConsoleConfig({ ...production, VAOPS_TEST_CLOCK: '1' })).toThrow('the test clock is not allowed in production');
    expect(loadConsoleConfig(production).testClock).toBe(false);
  });
});
