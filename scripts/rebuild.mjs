#!/usr/bin/env node
// `npm run rebuild -- <service> [--projection name] [--force]`: runs apps/<service>/src/rebuild.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [service, ...rest] = process.argv.slice(2);
const entry = service && path.join(ROOT, 'apps', service, 'src', 'rebuild.ts');
if (!entry || !existsSync(entry)) {
  process.stderr.write(`usage: npm run rebuild -- <service> [--projection name] [--force]\n${service ? `no rebuild entry for ${service}\n` : ''}`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ['-r', '@swc-node/register', entry, ...rest], { cwd: ROOT, stdio: 'inherit' });
process.exit(r.status ?? 1);
