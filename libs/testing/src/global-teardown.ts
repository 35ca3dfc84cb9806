// eslint-disable-next-line @typescript-eslint/no-require-imports
const infra = require('../../../infra/local/infra.cjs');

export default async function globalTeardown(): Promise<void> {
  if (process.env.VAOPS_TEST_INFRA_STARTED !== '1') return;
  if (process.env.VAOPS_KEEP_INFRA === '1') return;
  await infra.down({ profile: 'test' });
}
