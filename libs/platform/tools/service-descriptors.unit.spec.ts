import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** `node scripts/services.mjs --check` (run by npm test): one descriptor per service, and compose and the console agree with it. */
const ROOT = path.resolve(__dirname, '../../..');
/** What starts the services, each with the V8 flags of infra/service-node-flags.cjs. */
const LAUNCHERS = ['scripts/start.mjs', 'libs/testing/src/service-process.ts', 'bench/stack.ts', 'infra/docker/Dockerfile'];
const check = (root: string) => spawnSync(process.execPath, [path.join(ROOT, 'scripts/services.mjs'), '--check', '--root', root], { encoding: 'utf8' });

describe('service descriptors', () => {
  let copy: string;

  beforeEach(() => {
    copy = mkdtempSync(path.join(tmpdir(), 'vaops-services-'));
    for (const app of ['clients', 'scheduling', 'time-tracking', 'billing', 'analytics', 'console']) {
      cpSync(path.join(ROOT, 'apps', app, 'src', 'service.ts'), path.join(copy, 'apps', app, 'src', 'service.ts'));
    }
    cpSync(path.join(ROOT, 'apps/console/src/config.ts'), path.join(copy, 'apps/console/src/config.ts'));
    cpSync(path.join(ROOT, 'docker-compose.yml'), path.join(copy, 'docker-compose.yml'));
    for (const launcher of LAUNCHERS) cpSync(path.join(ROOT, launcher), path.join(copy, launcher));
  });

  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  it('agree with docker-compose.yml and the console in this repository', () => {
    const r = check(ROOT);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('clients 3001, scheduling 3002, time-tracking 3003, billing 3004, analytics 3005');
  });

  it('fails naming the service when a descriptor moves its port and compose does not follow', () => {
    const file = path.join(copy, 'apps/billing/src/service.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('port: 3004', 'port: 3014'));
    const r = check(copy);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('docker-compose.yml: billing does not set PORT: 3014');
    expect(r.stderr).toContain('apps/console/src/config.ts: no default http://localhost:3014 for billing');
  });

  it('fails naming the launcher that starts services without the flags of infra/service-node-flags.cjs', () => {
    const file = path.join(copy, 'bench/stack.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('infra/service-node-flags.cjs', 'somewhere-else.cjs'));
    rmSync(path.join(copy, 'infra/docker/Dockerfile'));
    const r = check(copy);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('bench/stack.ts does not start services with infra/service-node-flags.cjs');
    expect(r.stderr).toContain('infra/docker/Dockerfile is missing');
    expect(r.stderr).not.toContain('scripts/start.mjs');
  });

  it('fails when a service.ts names another service than its folder', () => {
    const file = path.join(copy, 'apps/analytics/src/service.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("name: 'analytics'", "name: 'reports'"));
    const r = check(copy);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('names the service reports, not analytics');
  });
});
