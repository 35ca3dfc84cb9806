import type { ServicesApi } from '../api';
import type { Person } from './people';

/** Above this many names of one kind, the list is read (a few pages of 200) instead of one read per id. */
const BY_LIST = 8;

/** Names of clients and assistants by id, as the signed-in person may see them ('(unknown)' otherwise). */
export async function namesOf(api: ServicesApi, token: string, ids: { clients?: string[]; assistants?: string[] }): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  await Promise.all(
    (['clients', 'assistants'] as const).map(async (kind) => {
      const wanted = [...new Set(ids[kind] ?? [])];
      // the list holds what the person may see (the agency: everyone); an id it lacks is read alone
      // (a role that may not list them, a client listing assistants, reads them one by one as before)
      if (wanted.length > BY_LIST) for (const p of await api.all<Person>('clients', `/${kind}`, token, 5_000).catch(() => [])) names.set(p.id, p.name);
      await Promise.all(
        wanted
          .filter((id) => !names.has(id))
          .map(async (id) => {
            const person = await api.get<Person>('clients', `/${kind}/${id}`, token).catch(() => null);
            names.set(id, person?.name ?? '(unknown)');
          }),
      );
    }),
  );
  return names;
}
