import type { ServicesApi } from '../api';
import type { Person } from './people';

/** Names of clients and assistants by id, as the signed-in person may see them ('(unknown)' otherwise). */
export async function namesOf(api: ServicesApi, token: string, ids: { clients?: string[]; assistants?: string[] }): Promise<Map<string, string>> {
  const wanted: ['clients' | 'assistants', string][] = [...[...new Set(ids.clients ?? [])].map((id): ['clients', string] => ['clients', id]), ...[...new Set(ids.assistants ?? [])].map((id): ['assistants', string] => ['assistants', id])];
  const named = await Promise.all(
    wanted.map(async ([kind, id]) => {
      const person = await api.get<Person>('clients', `/${kind}/${id}`, token).catch(() => null);
      return [id, person?.name ?? '(unknown)'] as const;
    }),
  );
  return new Map(named);
}
