import { createHash } from 'node:crypto';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { withSeededIds } from '@vaops/event-sourcing';
import { canonical } from '@vaops/projections';
import type { Collection, Db } from 'mongodb';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { ValidationFailedError } from '../errors/problem';
import type { HttpRequest } from './http-types';
import { PlatformErrors } from '../errors/platform.errors';

/** How long a key's first answer is kept and replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A request holding a key longer than this is taken to have died with its process; the key is free again. */
export const IN_FLIGHT_TIMEOUT_MS = 60_000;
/** How long a request with a key that is in flight waits for the first one's answer before a 409. */
export const IN_FLIGHT_WAIT_MS = 10_000;

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

/** The first answer to a key, replayed to its retries: the body and the headers that name what it made. */
export interface StoredAnswer {
  body: unknown;
  headers: Record<string, string>;
}

/** `firstAt`: when this request first claimed the key; a retry that takes over a dead claim keeps it. */
export type Begun = { kind: 'new'; firstAt: number } | { kind: 'done'; answer: StoredAnswer } | { kind: 'in-flight' } | { kind: 'mismatch' };

/** Where keys live: MongoDB in a service (one document per key), memory in tests of the platform alone. */
export interface IdempotencyStore {
  /** Claims `id` for a request with this fingerprint, or says what holds it. */
  begin(id: string, fingerprint: string, now: number): Promise<Begun>;
  complete(id: string, answer: StoredAnswer): Promise<void>;
  /** The request failed: its key is free for a retry to decide again. */
  abandon(id: string): Promise<void>;
}

interface KeyDoc {
  _id: string;
  fingerprint: string;
  createdAt: number;
  /** When the request first claimed the key (absent in documents written before it was kept). */
  firstAt?: number;
  /** JSON of the StoredAnswer once done (a string: bodies may hold keys a document may not). */
  answer: string | null;
}

const outcome = (doc: KeyDoc, fingerprint: string): Begun =>
  doc.fingerprint !== fingerprint ? { kind: 'mismatch' } : doc.answer === null ? { kind: 'in-flight' } : { kind: 'done', answer: JSON.parse(doc.answer) as StoredAnswer };

/** A stale record (expired, or in flight past the timeout) is replaced, at most once, by whoever sees it first. */
const expired = (doc: KeyDoc, now: number) => now - doc.createdAt > IDEMPOTENCY_TTL_MS;
const stale = (doc: KeyDoc, now: number) => expired(doc, now) || (doc.answer === null && now - doc.createdAt > IN_FLIGHT_TIMEOUT_MS);

/**
 * The first claim time of whoever replaces a stale record: the same request taking over a claim that
 * died in flight is that request decided again, and keeps its time (so its ids); anything else starts anew.
 */
const firstAtAfter = (doc: KeyDoc, fingerprint: string, now: number) =>
  !expired(doc, now) && doc.answer === null && doc.fingerprint === fingerprint ? (doc.firstAt ?? doc.createdAt) : now;

export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly docs = new Map<string, KeyDoc>();

  async begin(id: string, fingerprint: string, now: number): Promise<Begun> {
    const doc = this.docs.get(id);
    if (doc && !stale(doc, now)) return outcome(doc, fingerprint);
    const firstAt = doc ? firstAtAfter(doc, fingerprint, now) : now;
    this.docs.set(id, { _id: id, fingerprint, createdAt: now, firstAt, answer: null });
    return { kind: 'new', firstAt };
  }
  async complete(id: string, answer: StoredAnswer): Promise<void> {
    const doc = this.docs.get(id);
    if (doc) doc.answer = JSON.stringify(answer);
  }
  async abandon(id: string): Promise<void> {
    this.docs.delete(id);
  }
}

/**
 * One document per key, `_id` the key's hash: the unique `_id` makes two requests with one key race
 * for it (one insert wins), on MongoDB and on the local server alike. Expired documents are replaced
 * when their key comes back, and deleted by `sweep` (an indexed range on createdAt).
 */
export class MongoIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: () => Db) {}

  private get keys(): Collection<KeyDoc> {
    return this.db().collection<KeyDoc>('idempotency_keys');
  }

  async ensureIndexes(): Promise<void> {
    await this.keys.createIndex({ createdAt: 1 });
  }

  async begin(id: string, fingerprint: string, now: number): Promise<Begun> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.keys.insertOne({ _id: id, fingerprint, createdAt: now, firstAt: now, answer: null });
        return { kind: 'new', firstAt: now };
      } catch (err) {
        if ((err as { code?: unknown }).code !== 11000) throw err;
      }
      const doc = await this.keys.findOne({ _id: id });
      if (!doc) continue; // abandoned meanwhile: try again
      if (!stale(doc, now)) return outcome(doc, fingerprint);
      const firstAt = firstAtAfter(doc, fingerprint, now);
      const took = await this.keys.replaceOne({ _id: id, createdAt: doc.createdAt }, { fingerprint, createdAt: now, firstAt, answer: null });
      if (took.modifiedCount === 1) return { kind: 'new', firstAt };
    }
    return { kind: 'in-flight' };
  }

  async complete(id: string, answer: StoredAnswer): Promise<void> {
    await this.keys.updateOne({ _id: id }, { $set: { answer: JSON.stringify(answer) } });
  }

  async abandon(id: string): Promise<void> {
    await this.keys.deleteOne({ _id: id });
  }

  /** Deletes the keys older than 24 h. */
  async sweep(now: number): Promise<number> {
    return (await this.keys.deleteMany({ createdAt: { $lt: now - IDEMPOTENCY_TTL_MS } })).deletedCount;
  }
}

export class IdempotencyKeyReusedError extends Error {
  readonly code = PlatformErrors.idempotencyKeyReused.code;
  constructor() {
    super('this Idempotency-Key was used with another request (method, path or body) in the last 24 h; use a new key');
    this.name = 'IdempotencyKeyReusedError';
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['location', 'etag'];
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A key's id in the store, scoped by agency and principal (and the seed of the ids its request makes). */
export const idempotencyKeyId = (agencyId: string, sub: string, key: string): string => sha256(`${agencyId}\u0000${sub}\u0000${key}`);

/**
 * `Idempotency-Key` on every POST, PUT and PATCH (the way Stripe does it): the first request with a key
 * decides; a retry with the same key and the same method, path and body within 24 h gets the first
 * answer again (its body, Location and ETag; `Idempotent-Replayed: true`) without deciding again; the
 * same key with another request is 422 IDEMPOTENCY.KEY_REUSED; a retry while the first is still in
 * flight waits for its answer (up to 10 s, then 409 IDEMPOTENCY.IN_FLIGHT). Keys are scoped by agency
 * and principal. Only successes are kept: a request that failed frees its key, so a retry decides again.
 * The handler runs with ids seeded by the key and its first claim time: a request whose process died
 * mid-way is decided again (after IN_FLIGHT_TIMEOUT_MS) with the same ids, and finds what it created.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private store: IdempotencyStore | undefined;

  constructor(private readonly moduleRef: ModuleRef) {}

  /** The service's store (MongoDB) when it provides one, else memory (apps of the platform alone). */
  private storeOf(): IdempotencyStore {
    if (!this.store) {
      try {
        this.store = this.moduleRef.get<IdempotencyStore>(IDEMPOTENCY_STORE, { strict: false });
      } catch {
        this.store = new MemoryIdempotencyStore();
      }
    }
    return this.store;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<HttpRequest & { body?: unknown }>();
    const raw = req.headers['idempotency-key'];
    if (raw === undefined || !['POST', 'PUT', 'PATCH'].includes(req.method ?? '') || !req.principal) return next.handle();
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!KEY.test(key)) throw new ValidationFailedError([{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }]);
    const p = req.principal;
    const id = idempotencyKeyId(p.agencyId, p.sub, key);
    // canonical JSON (sorted keys): the same body in another key order is the same request
    const fingerprint = sha256(`${req.method} ${req.originalUrl ?? req.url}\n${canonical(req.body ?? null)}`);
    const res = context.switchToHttp().getResponse<{ setHeader(n: string, v: string): void; getHeader(n: string): unknown }>();
    return from(this.run(id, fingerprint, next, res));
  }

  private async run(id: string, fingerprint: string, next: CallHandler, res: { setHeader(n: string, v: string): void; getHeader(n: string): unknown }): Promise<unknown> {
    const store = this.storeOf();
    const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
    let firstAt: number;
    for (;;) {
      const begun = await store.begin(id, fingerprint, Date.now());
      if (begun.kind === 'mismatch') throw new IdempotencyKeyReusedError();
      if (begun.kind === 'done') {
        for (const [name, value] of Object.entries(begun.answer.headers)) res.setHeader(name, value);
        res.setHeader('Idempotent-Replayed', 'true');
        return begun.answer.body;
      }
      if (begun.kind === 'new') {
        firstAt = begun.firstAt;
        break;
      }
      if (Date.now() > deadline) throw PlatformErrors.idempotencyInFlight('a request with this Idempotency-Key is still being decided; retry later');
      await new Promise((r) => setTimeout(r, 50));
    }
    let body: unknown;
    try {
      // next.handle() binds the handler to the async context it is called in: call it inside the seeded one
      body = await withSeededIds({ seed: id, at: firstAt }, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
    } catch (err) {
      await store.abandon(id).catch(() => undefined);
      throw err;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const v = res.getHeader(name);
      if (typeof v === 'string') headers[name] = v;
    }
    await store.complete(id, { body: body ?? null, headers });
    return body;
  }
}
