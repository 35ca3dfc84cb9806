#!/usr/bin/env node
// The services' descriptors, read from each app's `src/service.ts` (`export const SERVICE: ServiceDescriptor
// = { name: '…', port: … }`): the one place a service's name and default port are written. `npm start`
// starts what they list; `node scripts/services.mjs --check` (run by `npm test`) fails when
// docker-compose.yml or the console's defaults say another port, or when a launcher of the services does
// not pass them the V8 flags of infra/service-node-flags.cjs.
//
// Usage: node scripts/services.mjs [--check] [--root DIR]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DESCRIPTOR = /export const SERVICE: ServiceDescriptor = \{ name: '([a-z-]+)', port: (\d+) \}/;

/** `[{ name, port }]` of every app with a `src/service.ts`, in port order. */
export function serviceDescriptors(root) {
  const apps = path.join(root, 'apps');
  return readdirSync(apps)
    .filter((dir) => existsSync(path.join(apps, dir, 'src', 'service.ts')))
    .map((dir) => {
      const source = readFileSync(path.join(apps, dir, 'src', 'service.ts'), 'utf8');
      const m = DESCRIPTOR.exec(source);
      if (!m) throw new Error(`apps/${dir}/src/service.ts: no "export const SERVICE: ServiceDescriptor = { name: '…', port: … }"`);
      if (m[1] !== dir) throw new Error(`apps/${dir}/src/service.ts names the service ${m[1]}, not ${dir}`);
      return { name: m[1], port: Number(m[2]) };
    })
    .sort((a, b) => a.port - b.port);
}

/** What docker-compose.yml and the console's defaults say against the descriptors: a list of mismatches. */
export function mismatches(root) {
  const services = serviceDescriptors(root);
  const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
  const consoleConfig = readFileSync(path.join(root, 'apps', 'console', 'src', 'config.ts'), 'utf8');
  const found = [];
  for (const { name, port } of services) {
    // the service's block: from `  <name>:` to the next top-level service
    const block = new RegExp(`\\n  ${name}:\\n([\\s\\S]*?)(?=\\n  [a-z-]+:\\n|\\n[a-z]|$)`).exec(compose)?.[1];
    if (!block) {
      found.push(`docker-compose.yml has no service ${name}`);
      continue;
    }
    if (!new RegExp(`\\n\\s+PORT: "?${port}"?\\n`).test(block)) found.push(`docker-compose.yml: ${name} does not set PORT: ${port}`);
    if (!block.includes(`"${port}:${port}"`)) found.push(`docker-compose.yml: ${name} does not publish "${port}:${port}"`);
    if (name !== 'console') {
      const url = `http://${name}:${port}`;
      if (!compose.includes(url)) found.push(`docker-compose.yml: the console does not reach ${name} at ${url}`);
      if (!consoleConfig.includes(`'http://localhost:${port}'`)) found.push(`apps/console/src/config.ts: no default http://localhost:${port} for ${name}`);
    }
  }
  // every launcher of a service passes the V8 flags of infra/service-node-flags.cjs
  for (const launcher of ['scripts/start.mjs', 'libs/testing/src/service-process.ts', 'bench/stack.ts', 'infra/docker/Dockerfile']) {
    const file = path.join(root, launcher);
    if (!existsSync(file)) found.push(`${launcher} is missing`);
    else if (!readFileSync(file, 'utf8').includes('infra/service-node-flags.cjs')) found.push(`${launcher} does not start services with infra/service-node-flags.cjs`);
  }
  return found;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const root = args.includes('--root') ? path.resolve(args[args.indexOf('--root') + 1]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  if (args.includes('--check')) {
    const found = mismatches(root);
    if (found.length > 0) {
      process.stderr.write(`the service descriptors (apps/*/src/service.ts) and what else names their ports differ:\n${found.map((f) => `  - ${f}`).join('\n')}\n`);
      process.exit(1);
    }
    process.stdout.write(`services: ${serviceDescriptors(root).map((s) => `${s.name} ${s.port}`).join(', ')}; docker-compose.yml and the console agree\n`);
  } else {
    process.stdout.write(`${JSON.stringify(serviceDescriptors(root))}\n`);
  }
}
