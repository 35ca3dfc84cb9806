import { runWithCorrelationId, correlationIdFrom } from './correlation';
import { JsonLogger } from './json-logger';

function capture(level: ConstructorParameters<typeof JsonLogger>[0]['level']) {
  const lines: Record<string, unknown>[] = [];
  const logger = new JsonLogger({ service: 'clients', level, write: (line) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('JsonLogger', () => {
  it('writes one JSON line with service, level, context and correlation id', () => {
    const raw: string[] = [];
    const logger = new JsonLogger({ service: 'clients', level: 'log', write: (line) => raw.push(line) });
    runWithCorrelationId('corr-1', () => logger.log('started', 'Bootstrap'));
    expect(raw).toHaveLength(1);
    expect(raw[0].endsWith('\n')).toBe(true);
    expect(raw[0].trimEnd()).not.toContain('\n');
    expect(JSON.parse(raw[0])).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      level: 'info',
      service: 'clients',
      msg: 'started',
      context: 'Bootstrap',
      correlationId: 'corr-1',
    });
  });

  it('drops entries below its level', () => {
    const { logger, lines } = capture('warn');
    logger.debug('noise');
    logger.log('noise');
    logger.warn('careful');
    logger.error('broken');
    expect(lines.map((l) => l.level)).toEqual(['warn', 'error']);
  });

  it('puts the stack of error(message, stack, context) on the line', () => {
    const { logger, lines } = capture('log');
    const err = new Error('boom');
    logger.error('failed', err.stack, 'Filter');
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'failed', context: 'Filter', stack: err.stack });
  });

  it('spreads structured fields without letting them overwrite the envelope', () => {
    const { logger, lines } = capture('log');
    logger.log({ msg: 'appended', streamId: 's-1', service: 'spoofed' });
    expect(lines[0]).toMatchObject({ msg: 'appended', streamId: 's-1', service: 'clients' });
  });

  it('survives circular values', () => {
    const { logger, lines } = capture('log');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    logger.log({ msg: 'loop', loop });
    expect(lines[0]).toMatchObject({ loop: { self: '[circular]' } });
  });
});

describe('correlationIdFrom', () => {
  it('keeps a safe incoming id and replaces anything else with a UUID', () => {
    expect(correlationIdFrom('req-123')).toBe('req-123');
    expect(correlationIdFrom('evil\n{"level":"fatal"}')).toMatch(/^[0-9a-f-]{36}$/);
    expect(correlationIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
