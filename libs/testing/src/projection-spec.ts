import type { Db } from 'mongodb';
import type { Actor, EventEnvelope } from '@vaops/contracts';
import { projectionsOf } from '@vaops/platform';
import { liveStore, type ProjectionDefinition, type ReadModelStore } from '@vaops/projections';
import { testDatabase, type TestDatabase } from './servers';

/** Where an event stands and who caused it; what a spec does not name is the same for every event. */
export interface EnvelopeAt {
  streamId: string;
  version: number;
  eventId?: string;
  position?: number;
  schemaVersion?: number;
  agencyId?: string;
  actor?: Actor;
  correlationId?: string;
  occurredAt?: string;
}

/**
 * A public event as a service publishes it (the causation id is the correlation id, as for an event a
 * request caused): for projection specs, and for e2e specs that put events on a topic themselves.
 */
export function eventEnvelope<TType extends string, TData>(type: TType, data: TData, at: EnvelopeAt): EventEnvelope<TType, TData> {
  const { streamId, version, eventId = `${streamId}-${version}`, position = version, schemaVersion = 1, agencyId = 'ag', actor = { sub: 's', role: 'assistant' }, correlationId = 'c', occurredAt = '2026-03-02T00:00:00.000Z' } = at;
  return { eventId, type, schemaVersion, streamId, version, position, metadata: { agencyId, actor, correlationId, causationId: correlationId, occurredAt }, data };
}

export interface ProjectionSpec {
  /** The spec's database (from its beforeAll on). */
  readonly db: Db;
  /** The read-model store the live consumer writes through, on that database. */
  store(): ReadModelStore;
  /** The projection of that name; without one, the only projection. */
  definition(name?: string): ProjectionDefinition;
  /** Whether any of the projections (the one named) handles events of this type. */
  handles(type: string, name?: string): boolean;
  /**
   * Applies the events one at a time as the live consumer does, each to every projection that handles it
   * (only to the one named): an event that none of them handles fails the spec.
   */
  apply(events: EventEnvelope | readonly EventEnvelope[], name?: string): Promise<void>;
}

/**
 * The projections a service registers for `handlers` over a fresh database on the real Mongo-compatible
 * server, for the describe block it is called in: loaded before its tests, the database dropped after.
 */
export function projectionSpec(dbPrefix: string, handlers: Parameters<typeof projectionsOf>[0]): ProjectionSpec {
  let t: TestDatabase | undefined;
  let definitions: ProjectionDefinition[] = [];
  beforeAll(async () => {
    t = await testDatabase(dbPrefix);
    definitions = await projectionsOf(handlers);
  });
  afterAll(async () => {
    await t?.drop();
  });
  const db = (): Db => {
    if (!t) throw new Error('the projection spec has no database before its beforeAll');
    return t.db;
  };
  const named = (name?: string) => (name === undefined ? definitions : definitions.filter((d) => d.name === name));
  const definition = (name?: string): ProjectionDefinition => {
    const found = named(name);
    if (found.length !== 1) throw new Error(`expected one projection${name ? ` named ${name}` : ''}, found ${found.map((d) => d.name).join(', ') || 'none'}`);
    return found[0];
  };
  return {
    get db() {
      return db();
    },
    store: () => liveStore(db()),
    definition,
    handles: (type, name) => named(name).some((d) => d.handlers[type]),
    apply: async (events, name) => {
      const targets = name === undefined ? definitions : [definition(name)];
      for (const e of Array.isArray(events) ? events : [events as EventEnvelope]) {
        const handling = targets.filter((d) => d.handlers[e.type]);
        if (handling.length === 0) throw new Error(`no projection${name ? ` named ${name}` : ''} handles ${e.type}`);
        for (const d of handling) await d.handlers[e.type]!(e, liveStore(db()));
      }
    },
  };
}
