import { mintToken, type Principal } from '@vaops/platform';
import type { ServicesApi } from '../api';
import type { ConsoleConfig } from '../config';

export interface Person {
  id: string;
  name: string;
  timezone: string;
}

/** A token of the demo agency's admin, minted for the console's own reads of who may sign in. */
export const demoAdmin = (config: ConsoleConfig): Principal => ({ sub: `ops@${config.demoAgency}`, agencyId: config.demoAgency, role: 'agency-admin' });
/** A session's token, valid `seconds`. */
export const tokenOf = (config: ConsoleConfig, who: Principal, seconds: number): string => mintToken(config.jwtSecret, who, { expiresIn: seconds });

/** The demo agency's clients and assistants (first 200 of each), for the demo sign-in page. */
export async function demoPeople(api: ServicesApi, config: ConsoleConfig): Promise<{ clients: Person[]; assistants: Person[] }> {
  const token = tokenOf(config, demoAdmin(config), 60);
  const [clients, assistants] = await Promise.all([api.all<Person>('clients', '/clients', token, 200), api.all<Person>('clients', '/assistants', token, 200)]);
  return { clients, assistants };
}
