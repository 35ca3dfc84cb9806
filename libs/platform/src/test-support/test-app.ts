// Builds apps the way a service test would: Test.createTestingModule + app.init(), nothing from bootstrap.
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mintToken } from '../auth/jwt';
import type { TokenClaims } from '../auth/principal';
import { loadConfig, type AppConfig } from '../config/config';
import { configureHttp } from '../http/http-setup';
import { PlatformModule } from '../platform.module';

export const TEST_SECRET = 'platform-test-secret-platform-test-secret';

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig(
    { NODE_ENV: 'test', VAOPS_JWT_SECRET: TEST_SECRET, ...env },
    { serviceName: 'platform-test', port: 0 },
  );
}

export async function createTestApp(
  config: AppConfig,
  imports: NonNullable<ModuleMetadata['imports']> = [],
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [PlatformModule.forRoot({ config }), ...imports],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false, bodyParser: false });
  configureHttp(app, config);
  await app.init();
  return app;
}

export const admin: TokenClaims = { sub: 'u-admin', agencyId: 'agency-1', role: 'agency-admin' };
export const client: TokenClaims = { sub: 'u-client', agencyId: 'agency-1', role: 'client', clientId: 'c-1' };
export const assistant: TokenClaims = {
  sub: 'u-assistant',
  agencyId: 'agency-1',
  role: 'assistant',
  assistantId: 'a-1',
};

export const bearer = (claims: TokenClaims, secret = TEST_SECRET): string =>
  `Bearer ${mintToken(secret, claims, { expiresIn: '5m' })}`;
