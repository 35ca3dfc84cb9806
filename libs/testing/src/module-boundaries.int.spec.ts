import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** Lints `source` as if it were the file at `asPath` (nothing is written) and returns the messages. */
function lint(asPath: string, source: string): string {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', asPath, '--format', 'json'], {
    cwd: ROOT,
    input: source,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(r.stdout) as { messages: { ruleId: string; message: string }[] }[];
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`).join('\n');
}

describe('the layer rules are enforced by lint (Nx module boundaries)', () => {
  beforeAll(() => {
    // the boundary rule needs Nx's project graph
    spawnSync(process.execPath, [path.join(ROOT, 'node_modules/nx/bin/nx.js'), 'show', 'projects'], { cwd: ROOT });
  });

  it('lets an app import libs', () => {
    expect(lint('apps/scheduling/src/probe.ts', "import { loadConfig } from '@vaops/platform';\nexport const c = loadConfig;\n")).toBe('');
  });

  it('refuses an app importing another app', () => {
    expect(lint('apps/scheduling/src/probe.ts', "import { ClientsAppModule } from '../../clients/src/app.module';\nexport const m = ClientsAppModule;\n")).toMatch(/@nx\/enforce-module-boundaries/);
  });

  it('keeps NestJS, mongoose and kafkajs out of libs/contracts', () => {
    for (const pkg of ['@nestjs/common', 'mongoose', 'kafkajs']) {
      expect(lint('libs/contracts/src/probe.ts', `import * as x from '${pkg}';\nexport const y = x;\n`)).toMatch(/@nx\/enforce-module-boundaries/);
    }
  });

  it("lets an app's specs use test support (DeciderSpecification)", () => {
    expect(lint('apps/clients/src/client/probe.unit.spec.ts', "import { DeciderSpecification } from '@vaops/testing';\nexport const d = DeciderSpecification;\n")).toBe('');
    expect(lint('apps/clients/src/client/probe.unit.spec.ts', "import { DeciderSpecification } from '@vaops/testing/decider';\nexport const d = DeciderSpecification;\n")).toBe('');
  });

  it('keeps test support out of production code', () => {
    expect(lint('libs/event-sourcing/src/probe.ts', "import { waitUntil } from '@vaops/testing';\nexport const w = waitUntil;\n")).toMatch(/no-restricted-imports/);
    expect(lint('apps/clients/src/client/probe.ts', "import { DeciderSpecification } from '@vaops/testing';\nexport const d = DeciderSpecification;\n")).toMatch(/no-restricted-imports/);
    expect(lint('apps/clients/src/client/probe.ts', "import { DeciderSpecification } from '@vaops/testing/decider';\nexport const d = DeciderSpecification;\n")).toMatch(/no-restricted-imports/);
  });
});
