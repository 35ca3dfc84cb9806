import { loadOidcConfig, type ConsoleOidcConfig } from './oidc/oidc-config';
import { SERVICE } from './service';

/** The console's settings, from the environment (see the README's console section). */
export interface ConsoleConfig {
  port: number;
  /** The five services' public HTTP APIs: the console reads no service database. */
  services: { clients: string; scheduling: string; timeTracking: string; billing: string; analytics: string };
  /** Verifies the session's token (the dev HS256 secret, as the services). */
  jwtSecret: string;
  /** The agency whose people the demo sign-in page lists. */
  demoAgency: string;
  /** Outside production a demo sign-in page signs in as anyone of the demo agency. */
  demoSignIn: boolean;
  /** Cookies marked Secure (production, behind TLS). */
  secureCookies: boolean;
  /** Sign-in with the agency's identity provider (VAOPS_OIDC_CLIENT_ID and beside it), or null. */
  oidc: ConsoleOidcConfig | null;
  /** The services' event stream, which feeds the live updates (`GET /live`): their brokers and topic prefix. */
  stream: { brokers: string[]; topicPrefix: string };
  /** VAOPS_TEST_CLOCK=1 (never in production): pages read a clock that tests set with `PUT /_test/clock`, as the services do. */
  testClock: boolean;
}

const brokers = (env: NodeJS.ProcessEnv): string[] => {
  const list = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
  const bad = list.find((b) => !/^[^\s:/]+:\d{1,5}$/.test(b));
  if (bad !== undefined) throw new Error(`KAFKA_BROKERS must be a comma list of host:port, got ${JSON.stringify(bad)}`);
  return list;
};

const url = (env: NodeJS.ProcessEnv, name: string, fallback: string): string => {
  const raw = env[name] ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`${name} must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
  if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error(`${name} must be an http(s) URL, got ${JSON.stringify(raw)}`);
  return raw.replace(/\/$/, '');
};

export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const production = env.NODE_ENV === 'production';
  const port = Number(env.PORT ?? SERVICE.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  const jwtSecret = env.VAOPS_JWT_SECRET ?? (production ? '' : 'dev-secret-change-me');
  if (!jwtSecret) throw new Error('VAOPS_JWT_SECRET is required in production');
  const testClock = env.VAOPS_TEST_CLOCK ?? '0';
  if (!['0', '1', 'false', 'true'].includes(testClock)) throw new Error(`VAOPS_TEST_CLOCK must be 1 or 0, got ${JSON.stringify(testClock)}`);
  if (production && (testClock === '1' || testClock === 'true')) throw new Error('VAOPS_TEST_CLOCK: the test clock is not allowed in production');
  return {
    port,
    services: {
      clients: url(env, 'VAOPS_CLIENTS_URL', 'http://localhost:3001'),
      scheduling: url(env, 'VAOPS_SCHEDULING_URL', 'http://localhost:3002'),
      timeTracking: url(env, 'VAOPS_TIME_TRACKING_URL', 'http://localhost:3003'),
      billing: url(env, 'VAOPS_BILLING_URL', 'http://localhost:3004'),
      analytics: url(env, 'VAOPS_ANALYTICS_URL', 'http://localhost:3005'),
    },
    jwtSecret,
    demoAgency: env.VAOPS_DEMO_AGENCY ?? 'agency-dev',
    demoSignIn: !production && env.VAOPS_DEMO_SIGN_IN !== '0',
    secureCookies: production,
    oidc: loadOidcConfig(env, production),
    stream: { brokers: brokers(env), topicPrefix: env.VAOPS_TOPIC_PREFIX ?? '' },
    testClock: testClock === '1' || testClock === 'true',
  };
}
