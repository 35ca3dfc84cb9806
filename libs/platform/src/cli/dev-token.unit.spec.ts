import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { verifyToken } from '../auth/jwt';
import { DEV_JWT_SECRET } from '../config/config';
import { devToken } from './dev-token';

describe('dev-token', () => {
  it('defaults to an agency-admin of agency-dev signed with the dev secret', () => {
    expect(verifyToken(DEV_JWT_SECRET, devToken([], {}))).toEqual({
      sub: 'dev-agency-admin',
      agencyId: 'agency-dev',
      role: 'agency-admin',
    });
  });

  it('signs with VAOPS_JWT_SECRET and takes every flag', () => {
    const token = devToken(['--role', 'assistant', '--agency', 'ag', '--assistant', 'as', '--sub', 'me'], {
      VAOPS_JWT_SECRET: 'local',
    });
    expect(verifyToken('local', token)).toEqual({ sub: 'me', agencyId: 'ag', role: 'assistant', assistantId: 'as' });
  });

  it('needs the id that goes with the role', () => {
    expect(() => devToken(['--role', 'client'], {})).toThrow('--client <id> is required');
    expect(() => devToken(['--role', 'owner'], {})).toThrow('--role must be one of');
  });

  it('runs as a script and prints only the token', () => {
    const root = path.resolve(__dirname, '../../../..');
    const out = execFileSync(
      process.execPath,
      ['-r', '@swc-node/register', 'libs/platform/src/cli/dev-token.ts', '--role', 'client', '--client', 'c9'],
      { cwd: root, env: { ...process.env, VAOPS_JWT_SECRET: '' }, encoding: 'utf8' },
    );
    expect(verifyToken(DEV_JWT_SECRET, out.trim())).toMatchObject({ role: 'client', clientId: 'c9' });
  });
});
