import { decodeEvent } from '@vaops/contracts';
import { hashCollection, liveStore, type ProjectionDefinition } from '@vaops/projections';
import { readTopic, testDatabase, testKafka } from './servers';

/**
 * Replays every message of the topics a service's projections read (as a running service left them)
 * through the projection handlers into a fresh database, twice, and returns the hashes of every read
 * model after each pass: equal hashes mean applying the same events again changed nothing.
 * A message that is no valid event (the live consumers dead-lettered it) is skipped and counted in
 * `undecodable`, as a rebuild does.
 */
export async function replayTwice(projections: ProjectionDefinition[] | Promise<ProjectionDefinition[]>): Promise<{ first: Record<string, string>; second: Record<string, string>; events: number; undecodable: number }> {
  const definitions = await projections;
  const t = await testDatabase('idem');
  const kafka = testKafka();
  try {
    const byTopic = new Map<string, ReturnType<typeof decodeEvent>[]>();
    let undecodable = 0;
    const decode = (value: string | null): ReturnType<typeof decodeEvent>[] => {
      try {
        return [decodeEvent(JSON.parse(value ?? ''))];
      } catch {
        undecodable++;
        return [];
      }
    };
    for (const topic of new Set(definitions.flatMap((d) => d.topics))) {
      const messages = (await readTopic(kafka, topic)).sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
      byTopic.set(topic, messages.flatMap((m) => decode(m.value)));
    }
    const store = liveStore(t.db);
    const pass = async () => {
      for (const d of definitions) {
        for (const topic of d.topics) {
          for (const env of byTopic.get(topic) ?? []) await d.handlers[env.type]?.(env, store);
        }
      }
      const hashes: Record<string, string> = {};
      for (const d of definitions) for (const c of Object.keys(d.collections)) hashes[c] = (await hashCollection(t.db.collection(c))).hash;
      return hashes;
    };
    const first = await pass();
    const second = await pass();
    return { first, second, events: [...byTopic.values()].reduce((n, l) => n + l.length, 0), undecodable };
  } finally {
    await t.drop();
  }
}
