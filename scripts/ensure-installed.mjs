// Lets `npm start` and `npm test` work on a fresh clone: installs the locked packages with `npm ci`
// when node_modules is missing or was installed from another package-lock.json. No dependencies.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function ensureInstalled() {
  const lock = path.join(ROOT, 'package-lock.json');
  const stamp = path.join(ROOT, 'node_modules', '.vaops-lock-sha256');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  if (!existsSync(stamp) && existsSync(path.join(ROOT, 'node_modules', '.package-lock.json'))) {
    // installed by hand (npm install / npm ci): trust it, remember the lock it matches
    writeFileSync(stamp, hash);
    return;
  }
  process.stderr.write('installing packages (npm ci)...\n');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('npm ci failed\n');
    process.exit(r.status ?? 1);
  }
  writeFileSync(stamp, hash);
}
