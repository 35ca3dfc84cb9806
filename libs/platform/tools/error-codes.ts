/**
 * The table of every error code (docs/errors.md), generated from the `*.errors.ts` files of apps/ and
 * libs/: `npm run errors:generate` rewrites it, `--check` (run by `npm test`'s lint stage) fails when it
 * is stale, when two modules declare one code or when a source writes a code outside an errors file.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isErrorDefinition, type ErrorDefinition } from '@vaops/event-sourcing';
import { STATUS_BY_KIND } from '../src/errors/problem';

const ROOT = path.resolve(__dirname, '../../..');
export const ERRORS_DOC = path.join(ROOT, 'docs/errors.md');
/** What may quote a code literally: the errors files, specs, e2e projects and test fixtures. */
const NOT_SCANNED = [/\.errors\.ts$/, /\.spec\.ts$/, /^apps\/[^/]+-e2e\//, /^libs\/testing\//, /\/test-support\//];

export interface DeclaredCode {
  code: string;
  /** null: never an HTTP answer (startup, a report). */
  status: number | null;
  kind: string | null;
  module: string;
  meaning: string;
  /** The errors file, relative to the repository. */
  file: string;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** Every .ts file under apps/<project>/src and libs/<project>/src, relative to the repository, sorted. */
function projectSources(): string[] {
  const files: string[] = [];
  for (const top of ['apps', 'libs']) {
    for (const project of readdirSync(path.join(ROOT, top))) {
      const src = path.join(ROOT, top, project, 'src');
      if (existsSync(src)) sourceFiles(src, files);
    }
  }
  return files.map((f) => path.relative(ROOT, f).split(path.sep).join('/')).sort();
}

export const errorsFiles = (): string[] => projectSources().filter((f) => f.endsWith('.errors.ts'));

/** Every definition the errors files export, in file order. */
export function declaredCodes(): DeclaredCode[] {
  const out: DeclaredCode[] = [];
  for (const file of errorsFiles()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(path.join(ROOT, file)) as Record<string, unknown>;
    const definitions = Object.values(exported).flatMap((value): ErrorDefinition[] =>
      isErrorDefinition(value) ? [value] : value && typeof value === 'object' ? Object.values(value).filter(isErrorDefinition) : [],
    );
    for (const d of definitions) {
      const kind = 'kind' in d ? d.kind : null;
      out.push({ code: d.code, status: 'kind' in d ? STATUS_BY_KIND[d.kind] : d.status, kind, module: d.module, meaning: d.meaning, file });
    }
  }
  return out;
}

/** Codes declared more than once (by two modules, or twice in one), each with where. */
export function duplicateCodes(codes = declaredCodes()): string[] {
  const where = new Map<string, string[]>();
  for (const c of codes) where.set(c.code, [...(where.get(c.code) ?? []), `${c.module} (${c.file})`]);
  return [...where].filter(([, w]) => w.length > 1).map(([code, w]) => `${code}: ${w.join(', ')}`);
}

const CODE = String.raw`[A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*`;
const INLINE = [
  new RegExp(String.raw`(['"\`])${CODE}\1`), // 'ENGAGEMENT.ENDED'
  new RegExp(String.raw`\`[A-Z][A-Z0-9_]*\.\$\{`), // `HTTP.${status}`
  new RegExp(String.raw`\}\.[A-Z][A-Z0-9_]*\``), // `${role}.NOT_FOUND`
];

/** The lines (1-based) of a source text that write a code string; comments are not code. */
export function inlineCodeLines(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    const code = line.trimStart();
    if (code.startsWith('//') || code.startsWith('*') || code.startsWith('/*')) return;
    if (INLINE.some((r) => r.test(line.replace(/\s\/\/\s.*$/, '')))) lines.push(i + 1);
  });
  return lines;
}

/** Code strings written in sources outside an errors file, as `file:line`. */
export function inlineCodes(): string[] {
  return projectSources()
    .filter((file) => !NOT_SCANNED.some((r) => r.test(file)))
    .flatMap((file) => inlineCodeLines(readFileSync(path.join(ROOT, file), 'utf8')).map((line) => `${file}:${line}`));
}

/** Codes the README and docs/ name that no errors file declares. */
export function undeclaredDocumentedCodes(codes = declaredCodes()): string[] {
  const declared = new Set(codes.map((c) => c.code));
  const docs = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md') && f !== 'errors.md').map((f) => `docs/${f}`)];
  const missing = new Set<string>();
  for (const doc of docs) {
    for (const m of readFileSync(path.join(ROOT, doc), 'utf8').matchAll(new RegExp(String.raw`\b${CODE}\b`, 'g'))) {
      if (m[0].split('.')[1].length > 2 && !declared.has(m[0])) missing.add(`${m[0]} (${doc})`);
    }
  }
  return [...missing];
}

export function renderErrorsDoc(codes = declaredCodes()): string {
  const rows = [...codes]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)) // not localeCompare: the same order everywhere
    .map((c) => `| \`${c.code}\` | ${c.status ?? '—'} | [${c.module}](../${c.file}) | ${c.meaning.replace(/\|/g, '\\|')} |`);
  return [
    '# Error codes',
    '',
    '<!-- Generated by `npm run errors:generate` from every `*.errors.ts` under apps/ and libs/. Do not edit. -->',
    '',
    'Every refusal of every service is `application/problem+json` with a stable `code` to branch on and a',
    '`detail` for people. Each code is declared once, in the errors file of the module that answers it',
    "(linked), with its kind; the kind gives the status (`libs/platform/src/errors/problem.ts`: invalid 400,",
    'not-found 404, forbidden 403, conflict and rule 409, unavailable 503). A status of — is never an HTTP',
    'answer.',
    '',
    `${codes.length} codes in ${new Set(codes.map((c) => c.file)).size} errors files.`,
    '',
    '| code | HTTP status | module | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

export const isErrorsDocStale = (content = renderErrorsDoc()): boolean => !existsSync(ERRORS_DOC) || readFileSync(ERRORS_DOC, 'utf8') !== content;

if (require.main === module) {
  const codes = declaredCodes();
  const duplicates = duplicateCodes(codes);
  if (duplicates.length > 0) {
    process.stderr.write(`error codes declared more than once (declare each in one errors file):\n${duplicates.join('\n')}\n`);
    process.exit(1);
  }
  const inline = inlineCodes();
  if (inline.length > 0) {
    process.stderr.write(`error codes written outside an errors file (throw through the module's *.errors.ts):\n${inline.join('\n')}\n`);
    process.exit(1);
  }
  const content = renderErrorsDoc(codes);
  const rel = path.relative(ROOT, ERRORS_DOC);
  if (process.argv.includes('--check')) {
    if (isErrorsDocStale(content)) {
      process.stderr.write(`${rel} is stale: an errors file changed since it was generated (run npm run errors:generate and commit it)\n`);
      process.exit(1);
    }
    process.stdout.write(`${rel} up to date (${codes.length} codes)\n`);
  } else {
    writeFileSync(ERRORS_DOC, content);
    process.stdout.write(`wrote ${rel} (${codes.length} codes)\n`);
  }
}
