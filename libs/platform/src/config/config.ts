import { ROLES, type Role } from '../auth/principal';
import { PlatformErrors } from '../errors/platform.errors';
/** Signs dev tokens out of the box; production refuses to start with it. */
export const DEV_JWT_SECRET = 'dev-secret-change-me';

export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';
export const DEFAULT_MONGO_URL = 'mongodb://127.0.0.1:27017/';
const MIN_PRODUCTION_SECRET_LENGTH = 32;

export const ENVIRONMENTS = ['development', 'test', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Nest's log levels, least to most severe. */
export const LOG_LEVELS = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  readonly serviceName: string;
  readonly port: number;
  /** HOST: the address the service listens on; unset, every interface (Node's default). */
  readonly host?: string;
  readonly kafkaBrokers: readonly string[];
  readonly mongoUrl: string;
  readonly jwtSecret: string;
  readonly environment: Environment;
  readonly testClock: boolean;
  readonly logLevel: LogLevel;
  /**
   * VAOPS_CONSUMER_MAX_WAIT_MS: how long the broker holds an idle consumer's fetch (it answers at once
   * when a message arrives, so this costs no latency; it does delay a rebalance and a shutdown by up to
   * as much). Default 5000, kafkajs' own; an idle service then asks once every 5 s per read model.
   */
  readonly consumerMaxWaitMs: number;
  /**
   * VAOPS_RELAY_IDLE_MS: how often an idle outbox relay looks for events that other instances of the
   * service appended (its own appends wake it at once). Default 2000.
   */
  readonly relayIdleMs: number;
  /**
   * VAOPS_BODY_LIMIT_BYTES: the largest request body a service reads (larger: 413
   * REQUEST.BODY_TOO_LARGE). Default 262144 (256 kB); from 1024 to 16777216.
   */
  readonly bodyLimitBytes: number;
  /**
   * Requests allowed per 10 s (0: no limit), counted by each instance: VAOPS_RATE_LIMIT_PRINCIPAL per
   * principal (default 300), VAOPS_RATE_LIMIT_WRITES writes per principal (default 100),
   * VAOPS_RATE_LIMIT_AGENCY per agency (default 3000). Beyond: 429 RATE.LIMITED with Retry-After.
   */
  readonly rateLimits: Readonly<{ principal: number; writes: number; agency: number }>;
  /** Sign-in with the agency's identity provider (VAOPS_OIDC_*); null: dev HS256 tokens only. */
  readonly oidc: OidcConfig | null;
}

/**
 * VAOPS_OIDC_JWKS_URL, VAOPS_OIDC_ISSUER and VAOPS_OIDC_AUDIENCE (all three, or none): RS256/ES256
 * tokens from that provider are accepted besides the HS256 secret's. Where its claims are:
 * VAOPS_OIDC_AGENCY_CLAIM (default vaops_agency), VAOPS_OIDC_ROLE_CLAIM (default vaops_role; a string
 * or a list such as groups), VAOPS_OIDC_CLIENT_CLAIM (vaops_client), VAOPS_OIDC_ASSISTANT_CLAIM
 * (vaops_assistant); VAOPS_OIDC_ROLE_MAP maps the provider's values to our roles
 * (`ops=agency-admin,customers=client,vas=assistant`; our role names are accepted as they are).
 * VAOPS_OIDC_JWKS_COOLDOWN_MS: the least time between two fetches of the key set (default 30000).
 */
export interface OidcConfig {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
  readonly claims: Readonly<{ agency: string; role: string; client: string; assistant: string }>;
  readonly roles: Readonly<Record<string, Role>>;
  readonly jwksCooldownMs: number;
}

export interface ConfigDefaults {
  serviceName: string;
  port: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Startup fails with the variable and the reason, never with a half-configured service. */
export class ConfigError extends Error {
  readonly code = PlatformErrors.configInvalid.code;
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(defaults: ConfigDefaults): AppConfig;
export function loadConfig(env: Env | undefined, defaults: ConfigDefaults): AppConfig;
export function loadConfig(
  envOrDefaults: Env | ConfigDefaults | undefined,
  maybeDefaults?: ConfigDefaults,
): AppConfig {
  const [env, defaults] =
    maybeDefaults === undefined
      ? [process.env as Env, envOrDefaults as ConfigDefaults]
      : [(envOrDefaults as Env | undefined) ?? (process.env as Env), maybeDefaults];
  if (!defaults?.serviceName) throw new ConfigError('serviceName', 'is required');

  const environment = readEnvironment(env);
  const testClock = readFlag(env, 'VAOPS_TEST_CLOCK');
  const jwtSecret = readSecret(env, environment);
  if (environment === 'production' && testClock) {
    throw new ConfigError('VAOPS_TEST_CLOCK', 'the test clock is not allowed in production');
  }

  return Object.freeze({
    serviceName: defaults.serviceName,
    port: readPort(env, defaults.port),
    ...readHost(env),
    kafkaBrokers: Object.freeze(readBrokers(env)),
    mongoUrl: readMongoUrl(env),
    jwtSecret,
    environment,
    testClock,
    // Tests stay quiet unless asked; services log their lifecycle.
    logLevel: readLogLevel(env, environment === 'test' ? 'warn' : 'log'),
    consumerMaxWaitMs: readMillis(env, 'VAOPS_CONSUMER_MAX_WAIT_MS', 5_000, 10, 30_000),
    relayIdleMs: readMillis(env, 'VAOPS_RELAY_IDLE_MS', 2_000, 10, 60_000),
    bodyLimitBytes: readWhole(env, 'VAOPS_BODY_LIMIT_BYTES', 262_144, 1_024, 16_777_216, 'bytes'),
    rateLimits: Object.freeze({
      principal: readWhole(env, 'VAOPS_RATE_LIMIT_PRINCIPAL', 300, 0, 10_000_000, 'requests'),
      writes: readWhole(env, 'VAOPS_RATE_LIMIT_WRITES', 100, 0, 10_000_000, 'requests'),
      agency: readWhole(env, 'VAOPS_RATE_LIMIT_AGENCY', 3_000, 0, 10_000_000, 'requests'),
    }),
    oidc: readOidc(env),
  });
}

function readOidc(env: Env): OidcConfig | null {
  const jwksUrl = read(env, 'VAOPS_OIDC_JWKS_URL');
  const issuer = read(env, 'VAOPS_OIDC_ISSUER');
  const audience = read(env, 'VAOPS_OIDC_AUDIENCE');
  if (jwksUrl === undefined && issuer === undefined && audience === undefined) return null;
  for (const [name, value] of [['VAOPS_OIDC_JWKS_URL', jwksUrl], ['VAOPS_OIDC_ISSUER', issuer], ['VAOPS_OIDC_AUDIENCE', audience]] as const) {
    if (value === undefined) throw new ConfigError(name, 'is required when any VAOPS_OIDC_ variable is set');
  }
  let url: URL;
  try {
    url = new URL(jwksUrl!);
  } catch {
    throw new ConfigError('VAOPS_OIDC_JWKS_URL', `must be a URL, got "${jwksUrl}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('VAOPS_OIDC_JWKS_URL', 'must be an http(s) URL');
  const roles: Record<string, Role> = {};
  for (const pair of (read(env, 'VAOPS_OIDC_ROLE_MAP') ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [from, to] = pair.split('=').map((p) => p.trim());
    if (!from || !(ROLES as readonly string[]).includes(to)) throw new ConfigError('VAOPS_OIDC_ROLE_MAP', `"${pair}" must be <provider value>=<${ROLES.join('|')}>`);
    roles[from] = to as Role;
  }
  return Object.freeze({
    jwksUrl: url.toString(),
    issuer: issuer!,
    audience: audience!,
    claims: Object.freeze({
      agency: read(env, 'VAOPS_OIDC_AGENCY_CLAIM') ?? 'vaops_agency',
      role: read(env, 'VAOPS_OIDC_ROLE_CLAIM') ?? 'vaops_role',
      client: read(env, 'VAOPS_OIDC_CLIENT_CLAIM') ?? 'vaops_client',
      assistant: read(env, 'VAOPS_OIDC_ASSISTANT_CLAIM') ?? 'vaops_assistant',
    }),
    roles: Object.freeze(roles),
    jwksCooldownMs: readWhole(env, 'VAOPS_OIDC_JWKS_COOLDOWN_MS', 30_000, 0, 3_600_000, 'milliseconds'),
  });
}

/** Unset and empty are the same thing for a variable: both mean "use the default". */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function readEnvironment(env: Env): Environment {
  const value = read(env, 'NODE_ENV') ?? 'development';
  if (!(ENVIRONMENTS as readonly string[]).includes(value)) {
    throw new ConfigError('NODE_ENV', `must be one of ${ENVIRONMENTS.join(', ')}, got "${value}"`);
  }
  return value as Environment;
}

function readFlag(env: Env, name: string): boolean {
  const value = read(env, name);
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError(name, `must be 1 or 0, got "${value}"`);
}

function readMillis(env: Env, name: string, fallback: number, min: number, max: number): number {
  return readWhole(env, name, fallback, min, max, 'milliseconds');
}

function readWhole(env: Env, name: string, fallback: number, min: number, max: number, unit: string): number {
  const raw = read(env, name);
  const n = raw === undefined ? fallback : /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(name, `must be a whole number of ${unit} from ${min} to ${max}, got "${raw}"`);
  return n;
}

function readPort(env: Env, fallback: number): number {
  const raw = read(env, 'PORT');
  // Digits only: Number('') and Number('0x50') would both slip through a plain parse.
  const port = raw === undefined ? fallback : /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `must be an integer from 0 to 65535, got "${raw ?? fallback}"`);
  }
  return port;
}

function readHost(env: Env): { host?: string } {
  const raw = read(env, 'HOST');
  if (raw === undefined) return {};
  if (!/^[A-Za-z0-9.:-]+$/.test(raw)) throw new ConfigError('HOST', `must be a host name or an IP address, got "${raw}"`);
  return { host: raw };
}

function readBrokers(env: Env): string[] {
  const raw = read(env, 'KAFKA_BROKERS') ?? DEFAULT_KAFKA_BROKERS;
  const brokers = raw.split(',').map((b) => b.trim());
  for (const broker of brokers) {
    if (!/^[^\s:/]+:\d{1,5}$/.test(broker)) {
      throw new ConfigError('KAFKA_BROKERS', `expected a comma list of host:port, got "${broker}"`);
    }
  }
  return brokers;
}

function readMongoUrl(env: Env): string {
  const url = read(env, 'MONGO_URL') ?? DEFAULT_MONGO_URL;
  if (!/^mongodb(\+srv)?:\/\/\S+$/.test(url)) {
    throw new ConfigError('MONGO_URL', 'must be a mongodb:// or mongodb+srv:// URL');
  }
  return url;
}

function readSecret(env: Env, environment: Environment): string {
  const secret = read(env, 'VAOPS_JWT_SECRET');
  if (environment !== 'production') return secret ?? DEV_JWT_SECRET;
  if (secret === undefined) throw new ConfigError('VAOPS_JWT_SECRET', 'is required in production');
  if (secret === DEV_JWT_SECRET) {
    throw new ConfigError('VAOPS_JWT_SECRET', 'the development secret is not allowed in production');
  }
  if (secret.length < MIN_PRODUCTION_SECRET_LENGTH) {
    throw new ConfigError(
      'VAOPS_JWT_SECRET',
      `must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production`,
    );
  }
  return secret;
}

function readLogLevel(env: Env, fallback: LogLevel): LogLevel {
  const raw = read(env, 'LOG_LEVEL');
  if (raw === undefined) return fallback;
  const value = raw === 'info' ? 'log' : raw; // "info" is what most people type
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return value as LogLevel;
}
