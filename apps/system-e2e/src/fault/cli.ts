// `npm run fault [-- --large]`: the fault suite on its own servers (infra profile `fault`), with its report
// printed and written to tmp/fault-report.json. Exits 1 if any check failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEV_JWT_SECRET } from '@vaops/platform';
import { formatReport, runFaultSuite, SIZES } from './fault-suite';

async function main(): Promise<void> {
  process.env.VAOPS_JWT_SECRET ??= DEV_JWT_SECRET;
  const size = process.argv.includes('--large') ? SIZES.large : SIZES.ci;
  const report = await runFaultSuite(size);
  const out = path.resolve(__dirname, '../../../../tmp/fault-report.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${formatReport(report)}\n\nreport: ${out}\n`);
  const ok =
    report.refusals.length === 0 &&
    Object.values(report.writes).every((w) => w.gaveUp === 0) &&
    report.settledMs !== null &&
    report.rebuild.failed.length === 0 &&
    Object.values(report.deadLetters).every((n) => n === 0);
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
