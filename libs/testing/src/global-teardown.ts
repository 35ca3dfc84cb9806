import * as path from 'node:path';

// infra/ is not an Nx project: load its script by path (it is plain Node, no build step).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const infra = require(path.resolve(__dirname, '../../../infra/local/infra.cjs'));

export default async function globalTeardown(): Promise<void> {
  if (process.env.VAOPS_TEST_INFRA_STARTED !== '1') return;
  if (process.env.VAOPS_KEEP_INFRA === '1') return;
  await infra.down({ profile: 'test' });
}
