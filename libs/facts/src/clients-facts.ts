import { Controller, Module, type DynamicModule, type Type } from '@nestjs/common';
import {
  DEFAULT_AGENCY_SETTINGS,
  Topics,
  type AgencySettingsChangedV1,
  type EngagementKind,
  erasedPersonalData,
  type Money,
  type Party,
  type PersonalData,
  type Phase,
  type PlanV1,
  type PublicEvent,
  type PublicEventType,
  type RoundingRuleV1,
  type WorkingHoursV1,
} from '@vaops/contracts';
import { ProjectionHandler, type ProjectionSpec } from '@vaops/platform';
import { applyIfNewer, type ReadModelStore } from '@vaops/projections';
import type { Db, Document, IndexSpecification } from 'mongodb';

/**
 * The facts kit: what a service learns of the clients service from its public topic (clients,
 * assistants, engagements, agencies' settings), as one configurable projection. A service names the
 * collections and picks the fields it needs from the lists below; the kit handles only the event types
 * that change a picked field, so a document's `_v` is the last version of its stream that mattered to it
 * (`applyIfNewer`: the types it skips leave gaps by design, redelivery changes nothing).
 */

// ---- what each field is, and which event sets it ----

/** Before the first phase change, the engagement's phase holds from its very start (dates are checked apart). */
export const SINCE_START = '1970-01-01T00:00:00.000Z';

/** Personal fields: kept encrypted (`PersonalData`), read through the person keyring (PersonKeys.reveal); the erased form once the person is erased. */
export const PERSONAL_FIELDS = ['name', 'email'] as const;

export interface ClientFieldValues {
  name: PersonalData;
  email: PersonalData;
  currency: string;
  timezone: string;
  /** A client has no working hours of its own: always empty (beside an assistant's in one people collection). */
  workingHours: WorkingHoursV1[];
}

export interface AssistantFieldValues {
  name: PersonalData;
  email: PersonalData;
  timezone: string;
  weeklyCapacityMinutes: number;
  payRate: Money;
  workingHours: WorkingHoursV1[];
  /** When the registration happened (the event's instant). */
  registeredAt: string;
}

/** A phase as analytics keeps it: with the phases a change passed over. */
export interface PhaseChange {
  /** null: no trust phase (every duty category allowed). */
  phase: Phase | null;
  /** Instant from which this phase applied. */
  from: string;
  /** Phases this change passed over. */
  skipped: Phase[];
}

export interface EngagementFieldValues {
  kind: EngagementKind;
  startsOn: string;
  status: 'active' | 'in-notice' | 'ended';
  /** The last day: the notice's end, then the end itself; null while no notice is given. */
  endsOn: string | null;
  /** The plan in force now. */
  plan: PlanV1;
  /** Every plan with the day it applies from (the first from the start). */
  plans: { effectiveOn: string; plan: PlanV1 }[];
  /** Phases from their effective instant; the first from SINCE_START. */
  phaseHistory: { phase: Phase | null; from: string }[];
  /** Phases from their effective instant, with what each skipped; the first from the start's instant. */
  phases: PhaseChange[];
  notice: { by: Party; givenAt: string; endsOn: string } | null;
  endedOn: string | null;
  endedBy: 'notice' | 'breach' | null;
  /** YYYY-MM-DD: the replacement's first day when the engagement is being handed over; null otherwise (or cancelled). */
  handoverOn: string | null;
}

export interface AgencyFieldValues {
  timezone: string;
  minimumNoticeHours: number;
  bufferMinutes: number;
  rounding: RoundingRuleV1;
}

export type ClientField = keyof ClientFieldValues;
export type AssistantField = keyof AssistantFieldValues;
export type EngagementField = keyof EngagementFieldValues;
export type AgencyField = keyof AgencyFieldValues;

type Registered<T extends 'ClientRegistered' | 'AssistantRegistered'> = PublicEvent<T>;
type EngagementEventType = 'EngagementStarted' | 'EngagementPhaseChanged' | 'EngagementPlanChanged' | 'EngagementNoticeGiven' | 'EngagementEnded' | 'HandoverPlanned' | 'HandoverCancelled';
type EngagementEvent<T extends EngagementEventType> = PublicEvent<T>;

const clientFields: { [F in ClientField]: (e: Registered<'ClientRegistered'>) => ClientFieldValues[F] } = {
  name: (e) => e.data.name,
  email: (e) => e.data.email,
  currency: (e) => e.data.currency,
  timezone: (e) => e.data.timezone,
  workingHours: () => [],
};

const assistantFields: { [F in AssistantField]: (e: Registered<'AssistantRegistered'>) => AssistantFieldValues[F] } = {
  name: (e) => e.data.name,
  email: (e) => e.data.email,
  timezone: (e) => e.data.timezone,
  weeklyCapacityMinutes: (e) => e.data.weeklyCapacityMinutes,
  payRate: (e) => e.data.payRate,
  workingHours: (e) => e.data.workingHours ?? [],
  registeredAt: (e) => e.metadata.occurredAt,
};

/** How an engagement event changes a field: a new value, or an entry pushed onto its list. */
type Change<V> = { set: V } | { push: V extends (infer I)[] ? I : never };
type FieldRules<F extends EngagementField> = { [T in EngagementEventType]?: (e: EngagementEvent<T>) => Change<EngagementFieldValues[F]> };

const engagementFields: { [F in EngagementField]: FieldRules<F> } = {
  kind: { EngagementStarted: (e) => ({ set: e.data.kind }) },
  startsOn: { EngagementStarted: (e) => ({ set: e.data.startsOn }) },
  status: {
    EngagementStarted: () => ({ set: 'active' }),
    EngagementNoticeGiven: () => ({ set: 'in-notice' }),
    EngagementEnded: () => ({ set: 'ended' }),
  },
  endsOn: {
    EngagementStarted: () => ({ set: null }),
    EngagementNoticeGiven: (e) => ({ set: e.data.endsOn }),
    EngagementEnded: (e) => ({ set: e.data.endedOn }),
  },
  plan: {
    EngagementStarted: (e) => ({ set: e.data.plan }),
    EngagementPlanChanged: (e) => ({ set: e.data.plan }),
  },
  plans: {
    EngagementStarted: (e) => ({ set: [{ effectiveOn: e.data.startsOn, plan: e.data.plan }] }),
    // applied once per stream version, so the push never repeats
    EngagementPlanChanged: (e) => ({ push: { effectiveOn: e.data.effectiveOn, plan: e.data.plan } }),
  },
  phaseHistory: {
    EngagementStarted: (e) => ({ set: [{ phase: e.data.phase, from: SINCE_START }] }),
    EngagementPhaseChanged: (e) => ({ push: { phase: e.data.to, from: e.data.effectiveAt } }),
  },
  phases: {
    EngagementStarted: (e) => ({ set: [{ phase: e.data.phase, from: e.metadata.occurredAt, skipped: [] }] }),
    EngagementPhaseChanged: (e) => ({ push: { phase: e.data.to, from: e.data.effectiveAt, skipped: e.data.skipped } }),
  },
  notice: {
    EngagementStarted: () => ({ set: null }),
    EngagementNoticeGiven: (e) => ({ set: { by: e.data.by, givenAt: e.data.givenAt, endsOn: e.data.endsOn } }),
  },
  endedOn: {
    EngagementStarted: () => ({ set: null }),
    EngagementEnded: (e) => ({ set: e.data.endedOn }),
  },
  endedBy: {
    EngagementStarted: () => ({ set: null }),
    EngagementEnded: (e) => ({ set: e.data.endedBy }),
  },
  handoverOn: {
    EngagementStarted: () => ({ set: null }),
    HandoverPlanned: (e) => ({ set: e.data.handoverOn }),
    HandoverCancelled: () => ({ set: null }),
  },
};

const agencyFields: { [F in AgencyField]: (s: AgencySettingsChangedV1) => AgencyFieldValues[F] } = {
  timezone: (s) => s.timezone,
  minimumNoticeHours: (s) => s.minimumNoticeHours,
  bufferMinutes: (s) => s.bufferMinutes,
  rounding: (s) => ({ minutes: s.roundingMinutes, mode: s.roundingMode }),
};

// ---- the documents ----

interface Versioned {
  _id: string;
  /** The last stream version applied. */
  _v: number;
}

export type ClientFactsDoc<F extends ClientField> = Versioned & { agencyId: string } & Pick<ClientFieldValues, F>;
export type AssistantFactsDoc<F extends AssistantField> = Versioned & { agencyId: string } & Pick<AssistantFieldValues, F>;
export type EngagementFactsDoc<F extends EngagementField> = Versioned & { agencyId: string; clientId: string; assistantId: string } & Pick<EngagementFieldValues, F>;
export type AgencyFactsDoc<F extends AgencyField> = Versioned & Pick<AgencyFieldValues, F>;
/** An agency's settings as last heard, or the documented defaults (DEFAULT_AGENCY_SETTINGS). */
export type AgencySettings<F extends AgencyField> = Pick<AgencyFieldValues, F>;

// ---- what a service asks for ----

type Indexes = { key: IndexSpecification; unique?: boolean }[];

interface Part<F extends string> {
  collection: string;
  fields: readonly F[];
  indexes?: Indexes;
}

export interface PersonPart<F extends string, E extends 'ClientRegistered' | 'AssistantRegistered'> extends Part<F> {
  /** The document's `_id`: the person's id (default), or the clients service's stream id (`client-<id>`). */
  key?: 'id' | 'stream';
  /** Values of the service's own making, from the same event (derived ones: a week in the person's zone, say). */
  derive?: (e: PublicEvent<E>) => Record<string, unknown>;
}

export interface ClientsFactsOptions<CF extends ClientField, AF extends AssistantField, EF extends EngagementField, GF extends AgencyField> {
  /** The projection's name (its consumer group and checkpoints): `<service>.clients-facts`. */
  name: string;
  clients?: PersonPart<CF, 'ClientRegistered'>;
  assistants?: PersonPart<AF, 'AssistantRegistered'>;
  engagements?: Part<EF>;
  agencies?: Part<GF>;
  /**
   * The service's read models keep an engagement's free text (encrypted under its key): the kit takes
   * `PersonErased` even without a personal field, so the transport drops the keys an erasure ended from
   * the process's cache at once (else a route could decrypt for up to the cache's minute).
   */
  hearErasures?: boolean;
}

/** A typed reader of one collection of the facts: the projection owns the name. */
export interface FactsReader<D extends Document> {
  readonly collection: string;
  /** The collection, typed, for queries beyond one document. */
  of(db: Db): import('mongodb').Collection<D>;
  byId(db: Db, id: string): Promise<D | null>;
}

export interface ClientsFacts<CF extends ClientField, AF extends AssistantField, EF extends EngagementField, GF extends AgencyField> {
  spec: ProjectionSpec;
  /** The handlers, a module for the service's event handler module to import. */
  module: DynamicModule;
  clients: FactsReader<ClientFactsDoc<CF>>;
  assistants: FactsReader<AssistantFactsDoc<AF>>;
  engagements: FactsReader<EngagementFactsDoc<EF>>;
  agencies: FactsReader<AgencyFactsDoc<GF>> & {
    /** The one agency-defaults lookup: the settings as last heard, else DEFAULT_AGENCY_SETTINGS. */
    settings(db: Db, agencyId: string): Promise<AgencySettings<GF>>;
  };
}

const pick = <T extends object>(fields: readonly string[], make: (f: string) => unknown): T => Object.fromEntries(fields.map((f) => [f, make(f)])) as T;

const reader = <D extends Document>(collection: string | undefined): FactsReader<D> => ({
  collection: collection ?? '(not kept)',
  of: (db) => {
    if (!collection) throw new Error('this service keeps no such facts');
    return db.collection<D>(collection);
  },
  byId: (db, id) => {
    if (!collection) throw new Error('this service keeps no such facts');
    return db.collection<D>(collection).findOne({ _id: id } as never) as Promise<D | null>;
  },
});

/**
 * One clients-facts projection for a service: its spec, its handler class (a `@Controller()` of
 * `@ProjectionHandler` methods, served by ProjectionTransport like every event handler) and typed
 * readers of its collections.
 */
export function clientsFacts<CF extends ClientField = never, AF extends AssistantField = never, EF extends EngagementField = never, GF extends AgencyField = never>(
  o: ClientsFactsOptions<CF, AF, EF, GF>,
): ClientsFacts<CF, AF, EF, GF> {
  const collections: ProjectionSpec['collections'] = {};
  for (const part of [o.clients, o.assistants, o.engagements, o.agencies]) {
    if (!part) continue;
    const indexes = [...(collections[part.collection]?.indexes ?? []), ...(part.indexes ?? [])];
    collections[part.collection] = indexes.length > 0 ? { indexes } : {};
  }
  const spec: ProjectionSpec = { name: o.name, topics: [Topics.clients], collections };
  const handlers: Partial<Record<PublicEventType, (e: never, store: ReadModelStore) => Promise<void>>> = {};

  const { clients, assistants, engagements, agencies } = o;
  if (clients) {
    handlers.ClientRegistered = async (e: PublicEvent<'ClientRegistered'>, store: ReadModelStore) => {
      const $set = { agencyId: e.metadata.agencyId, ...pick(clients.fields, (f) => clientFields[f as ClientField](e)), ...clients.derive?.(e) };
      await applyIfNewer(store.collection(clients.collection), clients.key === 'stream' ? e.streamId : e.data.clientId, e.version, { $set });
    };
  }
  if (assistants) {
    handlers.AssistantRegistered = async (e: PublicEvent<'AssistantRegistered'>, store: ReadModelStore) => {
      const $set = { agencyId: e.metadata.agencyId, ...pick(assistants.fields, (f) => assistantFields[f as AssistantField](e)), ...assistants.derive?.(e) };
      await applyIfNewer(store.collection(assistants.collection), assistants.key === 'stream' ? e.streamId : e.data.assistantId, e.version, { $set });
    };
  }
  const personal = (part: Part<string> | undefined) => (part ? part.fields.filter((f) => (PERSONAL_FIELDS as readonly string[]).includes(f)) : []);
  const erasable = [
    { kind: 'client', part: clients, fields: personal(clients) },
    { kind: 'assistant', part: assistants, fields: personal(assistants) },
  ].filter((x) => x.fields.length > 0);
  if (erasable.length > 0 || o.hearErasures) {
    // the person's values become the erased form: not even their ciphertext stays, and a rebuild after the erasure writes the same
    handlers.PersonErased = async (e: PublicEvent<'PersonErased'>, store: ReadModelStore) => {
      const target = erasable.find((x) => x.kind === e.data.kind);
      if (!target?.part) return;
      const $set = Object.fromEntries(target.fields.map((f) => [f, erasedPersonalData(e.data.personId)]));
      await applyIfNewer(store.collection(target.part.collection), (target.part as PersonPart<string, never>).key === 'stream' ? e.streamId : e.data.personId, e.version, { $set });
    };
  }
  if (engagements) {
    const types: EngagementEventType[] = ['EngagementStarted', 'EngagementPhaseChanged', 'EngagementPlanChanged', 'EngagementNoticeGiven', 'EngagementEnded', 'HandoverPlanned', 'HandoverCancelled'];
    for (const type of types) {
      const rules = engagements.fields.flatMap((f) => {
        const rule = (engagementFields[f] as FieldRules<EngagementField>)[type] as ((e: EngagementEvent<EngagementEventType>) => Change<unknown>) | undefined;
        return rule ? [[f, rule] as const] : [];
      });
      if (rules.length === 0) continue; // no picked field changes with it: the type is not handled
      handlers[type] = async (e: EngagementEvent<EngagementEventType>, store: ReadModelStore) => {
        const $set: Record<string, unknown> = type === 'EngagementStarted' ? { agencyId: e.metadata.agencyId, clientId: (e as EngagementEvent<'EngagementStarted'>).data.clientId, assistantId: (e as EngagementEvent<'EngagementStarted'>).data.assistantId } : {};
        const $push: Record<string, unknown> = {};
        for (const [f, rule] of rules) {
          const change = rule(e);
          if ('set' in change) $set[f] = change.set;
          else $push[f] = change.push;
        }
        const update = { ...(Object.keys($set).length > 0 ? { $set } : {}), ...(Object.keys($push).length > 0 ? { $push } : {}) };
        await applyIfNewer(store.collection(engagements.collection), e.data.engagementId, e.version, update);
      };
    }
  }
  if (agencies) {
    handlers.AgencySettingsChanged = async (e: PublicEvent<'AgencySettingsChanged'>, store: ReadModelStore) => {
      await applyIfNewer(store.collection(agencies.collection), e.metadata.agencyId, e.version, { $set: pick<Record<string, unknown>>(agencies.fields, (f) => agencyFields[f as AgencyField](e.data)) });
    };
  }

  const module: DynamicModule = { module: ClientsFactsModule, controllers: [handlerClass(o.name, spec, handlers)] };
  const agencyReader = reader<AgencyFactsDoc<GF>>(agencies?.collection);
  const defaults = pick<AgencySettings<GF>>(agencies?.fields ?? [], (f) => agencyFields[f as AgencyField](DEFAULT_AGENCY_SETTINGS));
  return {
    spec,
    module,
    clients: reader(clients?.collection),
    assistants: reader(assistants?.collection),
    engagements: reader(engagements?.collection),
    agencies: {
      ...agencyReader,
      settings: async (db, agencyId) => {
        const doc = await agencyReader.byId(db, agencyId);
        return doc ? pick<AgencySettings<GF>>(agencies!.fields, (f) => doc[f as keyof typeof doc]) : defaults;
      },
    },
  };
}

/** The module each service's clients facts come in (one per service, so one class per process). */
@Module({})
export class ClientsFactsModule {}

/** A `@Controller()` class whose methods are the projection's handlers, each with its `@ProjectionHandler`. */
function handlerClass(name: string, spec: ProjectionSpec, handlers: Partial<Record<PublicEventType, (e: never, store: ReadModelStore) => Promise<void>>>): Type<unknown> {
  class ClientsFactsHandlers {}
  Object.defineProperty(ClientsFactsHandlers, 'name', { value: `ClientsFactsHandlers(${name})` });
  for (const [type, handle] of Object.entries(handlers) as [PublicEventType, (e: never, store: ReadModelStore) => Promise<void>][]) {
    const method = `on${type}`;
    const descriptor: PropertyDescriptor = { value: handle, writable: true, configurable: true, enumerable: false };
    ProjectionHandler(spec, type)(ClientsFactsHandlers.prototype, method, descriptor as TypedPropertyDescriptor<never>);
    Object.defineProperty(ClientsFactsHandlers.prototype, method, descriptor);
  }
  Controller()(ClientsFactsHandlers);
  return ClientsFactsHandlers;
}
