import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import type { EventEnvelope } from '@vaops/contracts';
import { REVISION, type ProjectionDefinition, type ReadModelStore } from './definition';
import { canonical } from './hash';

/** Another writer changed a document this batch had loaded; the batch is applied again from the store. */
export class ReadModelConflictError extends Error {}

const MAX_IDS_PER_QUERY = 500;
const MAX_WRITES_PER_COMMAND = 500;

type Doc = Document & { _id?: unknown };

interface Tracked {
  /** As loaded (null: it did not exist), canonical form: a document is written only when it changed. */
  loaded: string | null;
  loadedRev: number | undefined;
  doc: Doc | null;
}

export interface BatchResult {
  events: number;
  /** Documents inserted or replaced. */
  written: number;
}

/**
 * Applies a batch of events to a projection's read model in memory and writes each document it changed
 * once, with one unordered bulk write per collection:
 * 1. a first pass of the handlers against a recorder learns which documents they touch (handlers reach
 *    their documents by `_id`, from the event alone), and those are loaded with one `_id $in` query;
 * 2. the handlers run for real against those documents (the rare one not foreseen is read on demand),
 *    with the same rules as on the server (their version guards keep them idempotent);
 * 3. changed documents are replaced on condition of the revision loaded, new ones inserted.
 * The caller saves one checkpoint for the batch afterwards.
 */
export async function applyBatch(def: ProjectionDefinition, events: EventEnvelope[], target: ReadModelStore): Promise<BatchResult> {
  if (events.length === 0) return { events: 0, written: 0 };
  const applier = new BatchApplier(def, target);
  await applier.apply(events);
  return { events: events.length, written: await applier.flush() };
}

/**
 * applyBatch's steps, kept open over several batches: `apply` changes the documents in memory, `flush`
 * writes what changed since the last flush. A rebuild (the only writer of its shadow collections)
 * applies many batches between two flushes; a live projection flushes every batch. After a failed
 * `apply`, documents it changed in part are in memory: `discard` forgets everything not flushed.
 */
export interface BatchApplierOptions {
  /**
   * The target's collections start empty and this applier is their only writer (a rebuild's shadow):
   * a document it does not hold does not exist, so nothing is read until `discard` forgets what it holds.
   */
  emptyTarget?: boolean;
}

export class BatchApplier {
  private uow: UnitOfWork;

  constructor(
    private readonly def: ProjectionDefinition,
    private readonly target: ReadModelStore,
    options: BatchApplierOptions = {},
  ) {
    this.uow = new UnitOfWork(target, options.emptyTarget ?? false);
  }

  async apply(events: EventEnvelope[]): Promise<void> {
    if (this.uow.knowsEveryDocument) {
      for (const e of events) await this.def.handlers[e.type]?.(e, this.uow);
      return;
    }
    const recorder = new Recorder();
    for (const e of events) {
      try {
        await this.def.handlers[e.type]?.(e, recorder);
      } catch {
        // the recorder answers like an empty store; the real pass decides what the event does
      }
    }
    await this.uow.load(recorder.touched);
    for (const e of events) await this.def.handlers[e.type]?.(e, this.uow);
  }

  /** Writes what changed since the last flush; returns how many documents. */
  flush(): Promise<number> {
    return this.uow.flush();
  }

  /** Documents held in memory. */
  get size(): number {
    return this.uow.size;
  }

  /** Forgets every change not flushed (they are read again from the store when next needed). */
  discard(): void {
    this.uow = new UnitOfWork(this.target, false);
  }
}

/**
 * True while applyBatch runs a handler in its first pass, against a recorder: a handler that does
 * anything besides writing its documents (counting, timing) does it only when this is false.
 */
export const isRecordingPass = (store: ReadModelStore): boolean => store instanceof Recorder;

/**
 * A store that notes the `_id` of every document asked for. It finds nothing and lets every update
 * match, so a handler goes on to its next document instead of stopping at a version guard.
 */
class Recorder implements ReadModelStore {
  readonly touched = new Map<string, Set<unknown>>();
  collection<T extends Document = Document>(name: string): Collection<T> {
    const note = (filter: unknown) => {
      const id = (filter as { _id?: unknown } | null)?._id;
      if (id !== undefined && (typeof id === 'string' || typeof id === 'number')) {
        if (!this.touched.has(name)) this.touched.set(name, new Set());
        this.touched.get(name)!.add(id);
      }
    };
    const coll = {
      findOne: async (filter: Document) => (note(filter), null),
      insertOne: async (doc: Document) => (note(doc), { acknowledged: true, insertedId: doc._id }),
      updateOne: async (filter: Document) => (note(filter), { acknowledged: true, matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null }),
    };
    return coll as unknown as Collection<T>;
  }
}

class UnitOfWork implements ReadModelStore {
  private readonly docs = new Map<string, Map<unknown, Tracked>>();
  private readonly collections = new Map<string, Collection<Document>>();

  /** @param knowsEveryDocument what it does not hold does not exist in the target (nothing is read) */
  constructor(
    private readonly target: ReadModelStore,
    readonly knowsEveryDocument: boolean,
  ) {}

  async load(touched: Map<string, Set<unknown>>): Promise<void> {
    for (const [name, ids] of touched) {
      const list = [...ids].filter((id) => !this.tracked(name).has(key(id)));
      for (let i = 0; i < list.length; i += MAX_IDS_PER_QUERY) {
        const chunk = list.slice(i, i + MAX_IDS_PER_QUERY);
        const found = await this.target.collection<Doc>(name).find({ _id: { $in: chunk } } as Document).toArray();
        const byId = new Map(found.map((d) => [key(d._id), d]));
        for (const id of chunk) this.track(name, id, byId.get(key(id)) ?? null);
      }
    }
  }

  collection<T extends Document = Document>(name: string): Collection<T> {
    let coll = this.collections.get(name);
    if (!coll) this.collections.set(name, (coll = this.collectionOf(name)));
    return coll as unknown as Collection<T>;
  }

  private collectionOf(name: string): Collection<Document> {
    const get = async (id: unknown): Promise<Tracked> => {
      const existing = this.tracked(name).get(key(id));
      if (existing) return existing;
      if (this.knowsEveryDocument) return this.track(name, id, null);
      const loaded = await this.target.collection<Doc>(name).findOne({ _id: id } as Document);
      return this.track(name, id, loaded);
    };
    const idOf = (filter: Document, what: string): unknown => {
      const id = filter?._id;
      if (typeof id !== 'string' && typeof id !== 'number') throw new Error(`${what} in a projection must name one document by _id (${name})`);
      return id;
    };
    const unsupported = (method: string) => () => {
      throw new Error(`${method} is not available to projection handlers: they read and write documents by _id (${name})`);
    };
    const coll = {
      findOne: async (filter: Document) => {
        const t = await get(idOf(filter, 'findOne'));
        return t.doc && matches(t.doc, filter) ? structuredClone(t.doc) : null;
      },
      insertOne: async (doc: Document) => {
        const t = await get(idOf(doc, 'insertOne'));
        if (t.doc) throw Object.assign(new Error(`E11000 duplicate key error collection: ${name} _id: ${String(doc._id)}`), { code: 11000 });
        t.doc = structuredClone(doc) as Doc;
        return { acknowledged: true, insertedId: doc._id };
      },
      updateOne: async (filter: Document, update: Document, options: { upsert?: boolean } = {}) => {
        const id = idOf(filter, 'updateOne');
        const t = await get(id);
        if (t.doc && matches(t.doc, filter)) {
          updateInPlace(t.doc, update, false);
          return { acknowledged: true, matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null };
        }
        if (!options.upsert) return { acknowledged: true, matchedCount: 0, modifiedCount: 0, upsertedCount: 0, upsertedId: null };
        // as on the server: an upsert whose filter misses an existing _id tries to insert it again
        if (t.doc) throw Object.assign(new Error(`E11000 duplicate key error collection: ${name} _id: ${String(id)}`), { code: 11000 });
        const seed: Doc = { _id: id };
        for (const [k, v] of Object.entries(filter)) if (!k.startsWith('$') && (v === null || typeof v !== 'object')) seed[k] = v;
        updateInPlace(seed, update, true);
        t.doc = seed;
        return { acknowledged: true, matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: id };
      },
      find: unsupported('find'),
      updateMany: unsupported('updateMany'),
      deleteOne: unsupported('deleteOne'),
      deleteMany: unsupported('deleteMany'),
      replaceOne: unsupported('replaceOne'),
      bulkWrite: unsupported('bulkWrite'),
      countDocuments: unsupported('countDocuments'),
      aggregate: unsupported('aggregate'),
    };
    return coll as unknown as Collection<Document>;
  }

  /** Writes every changed document once; returns how many. */
  async flush(): Promise<number> {
    let written = 0;
    for (const [name, docs] of this.docs) {
      const ops: AnyBulkWriteOperation<Document>[] = [];
      const changed: { t: Tracked; canon: string; rev: number }[] = [];
      for (const t of docs.values()) {
        if (!t.doc) continue;
        const { [REVISION]: _ignored, ...doc } = t.doc;
        const canon = canonical(doc);
        if (t.loaded !== null && canon === t.loaded) continue;
        const rev = (t.loadedRev ?? 0) + 1;
        changed.push({ t, canon, rev });
        if (t.loaded === null) {
          ops.push({ insertOne: { document: { ...doc, [REVISION]: rev } as Document } });
        } else {
          const filter = t.loadedRev === undefined ? { _id: doc._id, [REVISION]: { $exists: false } } : { _id: doc._id, [REVISION]: t.loadedRev };
          ops.push({ replaceOne: { filter: filter as Document, replacement: { ...doc, [REVISION]: rev } } });
        }
      }
      for (let i = 0; i < ops.length; i += MAX_WRITES_PER_COMMAND) {
        const chunk = ops.slice(i, i + MAX_WRITES_PER_COMMAND);
        const chunkInserts = chunk.filter((o) => 'insertOne' in o).length;
        let result: { insertedCount: number; matchedCount: number };
        try {
          result = await this.target.collection(name).bulkWrite(chunk, { ordered: false });
        } catch (err) {
          if ((err as { code?: number }).code === 11000 || /E11000/.test(String(err))) {
            throw new ReadModelConflictError(`${name}: a document this batch created was created by another writer first`);
          }
          throw err;
        }
        if (result.insertedCount !== chunkInserts || result.matchedCount !== chunk.length - chunkInserts) {
          throw new ReadModelConflictError(`${name}: ${chunk.length - chunkInserts - result.matchedCount} document(s) changed by another writer since this batch read them`);
        }
        written += chunk.length;
      }
      // what was written is what the store now holds: later changes compare with it
      for (const { t, canon, rev } of changed) {
        t.loaded = canon;
        t.loadedRev = rev;
      }
    }
    return written;
  }

  get size(): number {
    let n = 0;
    for (const docs of this.docs.values()) n += docs.size;
    return n;
  }

  private tracked(name: string): Map<unknown, Tracked> {
    let m = this.docs.get(name);
    if (!m) this.docs.set(name, (m = new Map()));
    return m;
  }

  private track(name: string, id: unknown, loaded: Doc | null): Tracked {
    const rev = loaded?.[REVISION];
    let doc: Doc | null = null;
    let canon: string | null = null;
    if (loaded) {
      const { [REVISION]: _r, ...rest } = loaded;
      doc = rest as Doc;
      canon = canonical(rest);
    }
    const t: Tracked = { loaded: canon, loadedRev: typeof rev === 'number' ? rev : undefined, doc };
    this.tracked(name).set(key(id), t);
    return t;
  }
}

/** A document's key in memory: its `_id` itself when a string or a number (a Map tells 1 from '1'). */
const key = (id: unknown): unknown => (typeof id === 'string' || typeof id === 'number' ? id : `${typeof id}:${String(id)}`);

// ---------------------------------------------------------------- MongoDB's rules, in memory

/** The filter rules handlers use: equality, $eq $ne $gt $gte $lt $lte $in $exists, $and $or. */
export function matches(doc: Document, filter: Document): boolean {
  for (const k in filter) {
    const cond = filter[k];
    if (k === '$and') {
      if (!(cond as Document[]).every((f) => matches(doc, f))) return false;
      continue;
    }
    if (k === '$or') {
      if (!(cond as Document[]).some((f) => matches(doc, f))) return false;
      continue;
    }
    const value = getPath(doc, k);
    if (cond !== null && typeof cond === 'object' && !Array.isArray(cond) && !(cond instanceof Date) && Object.keys(cond).some((op) => op.startsWith('$'))) {
      for (const op in cond) if (!compareOp(value, op, (cond as Document)[op])) return false;
    } else if (!equal(value, cond)) return false;
  }
  return true;
}

function compareOp(value: unknown, op: string, operand: unknown): boolean {
  switch (op) {
    case '$eq':
      return equal(value, operand);
    case '$ne':
      return !equal(value, operand);
    case '$in':
      return (operand as unknown[]).some((o) => equal(value, o));
    case '$exists':
      return (value !== undefined) === Boolean(operand);
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      const c = order(value, operand);
      if (c === undefined) return false;
      return op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0;
    }
    default:
      throw new Error(`filter operator ${op} is not available to projection handlers`);
  }
}

/** Comparison within one type (MongoDB brackets by type: other types never match a range). */
function order(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  return undefined;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === undefined) return b === null;
  if (Array.isArray(a) && !Array.isArray(b)) return a.some((x) => equal(x, b));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  return canonical(a) === canonical(b);
}

function getPath(doc: Document, path: string): unknown {
  if (!path.includes('.')) return doc[path]; // most paths: no split, no array
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Document)[part];
  }
  return cur;
}

function setPath(doc: Document, path: string, value: unknown): void {
  if (!path.includes('.')) {
    doc[path] = value;
    return;
  }
  const parts = path.split('.');
  let cur = doc;
  for (const part of parts.slice(0, -1)) {
    if (cur[part] === null || typeof cur[part] !== 'object') cur[part] = {};
    cur = cur[part] as Document;
  }
  cur[parts[parts.length - 1]] = value;
}

function unsetPath(doc: Document, path: string): void {
  const parts = path.split('.');
  let cur: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Document)[part];
  }
  if (cur !== null && typeof cur === 'object') delete (cur as Document)[parts[parts.length - 1]];
}

/** The update operators handlers use: $set $unset $inc $max $min $push ($each) $setOnInsert. */
export function applyUpdate<T extends Document>(doc: T, update: Document, inserting: boolean): T {
  const out = structuredClone(doc) as Document;
  updateInPlace(out, update, inserting);
  return out as T;
}

/** applyUpdate on a document this unit of work owns (values from the update are copied, the document is not). */
function updateInPlace(out: Document, update: Document, inserting: boolean): void {
  for (const op in update) {
    const fields = update[op] as Document;
    for (const path in fields) {
      const raw = fields[path];
      const value = raw !== null && typeof raw === 'object' ? structuredClone(raw) : raw;
      const current = getPath(out, path);
      switch (op) {
        case '$set':
          setPath(out, path, value);
          break;
        case '$setOnInsert':
          if (inserting) setPath(out, path, value);
          break;
        case '$unset':
          unsetPath(out, path);
          break;
        case '$inc':
          setPath(out, path, (typeof current === 'number' ? current : 0) + (value as number));
          break;
        case '$max':
        case '$min': {
          const c = current === undefined || current === null ? undefined : order(value, current);
          if (current === undefined || current === null || (c !== undefined && (op === '$max' ? c > 0 : c < 0))) setPath(out, path, value);
          break;
        }
        case '$push': {
          const list = Array.isArray(current) ? current : [];
          const items = value !== null && typeof value === 'object' && '$each' in (value as Document) ? ((value as Document).$each as unknown[]) : [value];
          setPath(out, path, [...list, ...items]);
          break;
        }
        default:
          throw new Error(`update operator ${op} is not available to projection handlers`);
      }
    }
  }
}
