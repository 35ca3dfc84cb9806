// Prints a signed token for local calls:
//   node -r @swc-node/register libs/platform/src/cli/dev-token.ts --role assistant --agency a1 --assistant as1
// Signed with VAOPS_JWT_SECRET, or the dev default, so it matches a locally started service.
import { parseArgs } from 'node:util';
import { mintToken, type MintOptions } from '../auth/jwt';
import { ROLES, toPrincipal, type Role } from '../auth/principal';
import { DEV_JWT_SECRET } from '../config/config';

const USAGE =
  'usage: dev-token [--role agency-admin|assistant|client] [--agency <id>] [--assistant <id>] ' +
  '[--client <id>] [--sub <id>] [--expires 12h]';

export function devToken(argv: string[], env: Readonly<Record<string, string | undefined>>): string {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      role: { type: 'string', default: 'agency-admin' },
      agency: { type: 'string', default: 'agency-dev' },
      assistant: { type: 'string' },
      client: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (role === 'assistant' && !values.assistant) throw new Error('--assistant <id> is required for role assistant');
  if (role === 'client' && !values.client) throw new Error('--client <id> is required for role client');
  const principal = toPrincipal({
    sub: values.sub ?? `dev-${values.assistant ?? values.client ?? role}`,
    agencyId: values.agency,
    role,
    assistantId: values.assistant,
    clientId: values.client,
  });
  if (typeof principal === 'string') throw new Error(principal);
  const expiresIn = /^\d+$/.test(values.expires) ? Number(values.expires) : values.expires;
  return mintToken(env.VAOPS_JWT_SECRET || DEV_JWT_SECRET, principal, {
    expiresIn: expiresIn as MintOptions['expiresIn'],
  });
}

if (require.main === module) {
  try {
    process.stdout.write(`${devToken(process.argv.slice(2), process.env)}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exitCode = 2;
  }
}
