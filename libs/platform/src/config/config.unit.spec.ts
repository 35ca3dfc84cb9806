import { NO_RATE_LIMITS } from '../http/rate-limit';
import { ConfigError, DEV_JWT_SECRET, loadConfig } from './config';

const defaults = { serviceName: 'clients', port: 3001 };
const strongSecret = 'x'.repeat(32);

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  describe('with an empty environment', () => {
    const config = loadConfig({}, defaults);

    it('turns every rate limit off with NO_RATE_LIMITS (what tests and benchmarks start services with)', () => {
    expect(loadConfig({ ...NO_RATE_LIMITS }, defaults).rateLimits).toEqual({ principal: 0, writes: 0, agency: 0 });
  });

  it('uses the local defaults', () => {
      expect(config).toEqual({
        serviceName: 'clients',
        port: 3001,
        kafkaBrokers: ['127.0.0.1:9092'],
        mongoUrl: 'mongodb://127.0.0.1:27017/',
        jwtSecret: DEV_JWT_SECRET,
        environment: 'development',
        testClock: false,
        logLevel: 'log',
        consumerMaxWaitMs: 5000,
        relayIdleMs: 2000,
        bodyLimitBytes: 262144,
        rateLimits: { principal: 300, writes: 100, agency: 3000 },
        oidc: null,
      });
    });

    it('is frozen', () => {
      expect(Object.isFrozen(config)).toBe(true);
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '4000',
        HOST: '127.0.0.1',
        KAFKA_BROKERS: 'k1:9092, k2:9093',
        MONGO_URL: 'mongodb://db:27017/vaops',
        VAOPS_JWT_SECRET: 'local-secret',
        NODE_ENV: 'test',
        VAOPS_TEST_CLOCK: '1',
        LOG_LEVEL: 'debug',
        VAOPS_CONSUMER_MAX_WAIT_MS: '250',
        VAOPS_RELAY_IDLE_MS: '100',
        VAOPS_BODY_LIMIT_BYTES: '1048576',
        VAOPS_RATE_LIMIT_PRINCIPAL: '10',
        VAOPS_RATE_LIMIT_WRITES: '0',
        VAOPS_RATE_LIMIT_AGENCY: '50',
      },
      defaults,
    );
    expect(config).toMatchObject({
      bodyLimitBytes: 1048576,
      rateLimits: { principal: 10, writes: 0, agency: 50 },
      consumerMaxWaitMs: 250,
      relayIdleMs: 100,
      port: 4000,
      host: '127.0.0.1',
      kafkaBrokers: ['k1:9092', 'k2:9093'],
      mongoUrl: 'mongodb://db:27017/vaops',
      jwtSecret: 'local-secret',
      environment: 'test',
      testClock: true,
      logLevel: 'debug',
    });
  });

  it('reads process.env when given only the defaults', () => {
    const saved = process.env.PORT;
    process.env.PORT = '3999';
    try {
      expect(loadConfig(defaults).port).toBe(3999);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  it.each(['abc', '70000', '-1', '80.5', '0x50'])('names PORT when it is %p', (port) => {
    const err = configError(() => loadConfig({ PORT: port }, defaults));
    expect(err.variable).toBe('PORT');
    expect(err.message).toContain('PORT');
    expect(err.message).toContain(port);
  });

  it.each([
    ['KAFKA_BROKERS', 'k1:9092,,k2:9092'],
    ['KAFKA_BROKERS', 'no-port'],
    ['MONGO_URL', 'postgres://db'],
    ['NODE_ENV', 'staging'],
    ['VAOPS_TEST_CLOCK', 'yes'],
    ['LOG_LEVEL', 'loud'],
    ['HOST', 'a host'],
  ])('names %s when it is %p', (variable, value) => {
    const err = configError(() => loadConfig({ [variable]: value }, defaults));
    expect(err.variable).toBe(variable);
    expect(err.message).toMatch(new RegExp(`^${variable}: `));
  });

  describe('in production', () => {
    const production = { NODE_ENV: 'production' };

    it('refuses the development secret', () => {
      const err = configError(() => loadConfig({ ...production, VAOPS_JWT_SECRET: DEV_JWT_SECRET }, defaults));
      expect(err.variable).toBe('VAOPS_JWT_SECRET');
      expect(err.message).toMatch(/development secret/);
    });

    it('refuses to fall back to the development secret', () => {
      expect(configError(() => loadConfig(production, defaults)).variable).toBe('VAOPS_JWT_SECRET');
    });

    it('refuses a secret shorter than 32 characters', () => {
      const err = configError(() => loadConfig({ ...production, VAOPS_JWT_SECRET: 'x'.repeat(31) }, defaults));
      expect(err.message).toMatch(/at least 32/);
    });

    it('refuses the test clock', () => {
      const err = configError(() =>
        loadConfig({ ...production, VAOPS_JWT_SECRET: strongSecret, VAOPS_TEST_CLOCK: '1' }, defaults),
      );
      expect(err.variable).toBe('VAOPS_TEST_CLOCK');
    });

    it('starts with a strong secret', () => {
      const config = loadConfig({ ...production, VAOPS_JWT_SECRET: strongSecret }, defaults);
      expect(config).toMatchObject({ environment: 'production', jwtSecret: strongSecret, testClock: false });
    });
  });

  it('quiets logs under test', () => {
    expect(loadConfig({ NODE_ENV: 'test' }, defaults).logLevel).toBe('warn');
  });

  describe('identity provider (VAOPS_OIDC_*)', () => {
    const oidc = { VAOPS_OIDC_JWKS_URL: 'https://idp.example/.well-known/jwks.json', VAOPS_OIDC_ISSUER: 'https://idp.example/', VAOPS_OIDC_AUDIENCE: 'vaops' };

    it('reads the provider with default claim names', () => {
      expect(loadConfig({ ...oidc, VAOPS_OIDC_ROLE_MAP: 'ops=agency-admin, vas=assistant' }, defaults).oidc).toEqual({
        jwksUrl: 'https://idp.example/.well-known/jwks.json',
        issuer: 'https://idp.example/',
        audience: 'vaops',
        claims: { agency: 'vaops_agency', role: 'vaops_role', client: 'vaops_client', assistant: 'vaops_assistant' },
        roles: { ops: 'agency-admin', vas: 'assistant' },
        jwksCooldownMs: 30000,
      });
    });

    it.each([
      ['VAOPS_OIDC_AUDIENCE', { ...oidc, VAOPS_OIDC_AUDIENCE: '' }],
      ['VAOPS_OIDC_JWKS_URL', { ...oidc, VAOPS_OIDC_JWKS_URL: 'not a url' }],
      ['VAOPS_OIDC_JWKS_URL', { ...oidc, VAOPS_OIDC_JWKS_URL: 'file:///etc/keys' }],
      ['VAOPS_OIDC_ROLE_MAP', { ...oidc, VAOPS_OIDC_ROLE_MAP: 'ops=superuser' }],
    ])('refuses a half or bad configuration: %s', (variable, env) => {
      expect(configError(() => loadConfig(env, defaults)).variable).toBe(variable);
    });
  });
});
