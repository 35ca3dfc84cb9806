import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { ERASED_NAME, erasedPersonalData, holdsUnsealed, isPersonalData, type ErasedPersonalData, type EventEnvelope, type PersonalData, type SealedPersonalData, type SealedText } from '@vaops/contracts';

/**
 * A key as stored: wrapped under the master key (AES-256-GCM), or the tombstone of an erasure. Its
 * subject (`personId`) is a person (a client contact, an assistant), or something shared by people (an
 * engagement: its free text), whose key names those `parties`: erasing any of them destroys it too.
 */
export type StoredPersonKey =
  | { personId: string; status: 'active'; wrapped: { iv: string; ct: string }; createdAt: string; parties?: string[] }
  | { personId: string; status: 'erased'; erasedAt: string; erasedBy: string };

/**
 * Where person keys live (adapters: MongoPersonKeyStore in the shared keyring database, and
 * MemoryPersonKeyStore). Both pass one contract spec (person-keys.contract.ts).
 */
export interface PersonKeyStore {
  get(personId: string): Promise<StoredPersonKey | null>;
  /** Stores a new key unless the person has one or a tombstone: what is stored afterwards is returned. */
  insertIfAbsent(key: Extract<StoredPersonKey, { status: 'active' }>): Promise<StoredPersonKey>;
  /**
   * Replaces whatever the person has (key, nothing) by a tombstone, and so every key naming them among
   * its parties; an existing tombstone is kept and returned.
   */
  tombstone(personId: string, erasedBy: string, erasedAt: string): Promise<{ erasedAt: string; erasedBy: string; already: boolean }>;
  /** Ids of the keys that name the person among their parties and are not erased yet. */
  sharedWith(personId: string): Promise<string[]>;
  /** A page of the keys that are not erased, by id after `after` (a master key rotation walks them). */
  activePage(after: string | null, limit: number): Promise<Extract<StoredPersonKey, { status: 'active' }>[]>;
  /** Replaces a key's wrapping, only if it is still active and wrapped as `from` (an erasure in between wins). */
  rewrap(personId: string, from: { iv: string; ct: string }, to: { iv: string; ct: string }): Promise<boolean>;
}

const ALGORITHM = 'aes-256-gcm';
const TAG_BYTES = 16;

function encrypt(key: Buffer, iv: Buffer, plain: Buffer): string {
  const cipher = createCipheriv(ALGORITHM, key, iv);
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

function decrypt(key: Buffer, iv: string, ct: string): Buffer {
  const bytes = Buffer.from(ct, 'base64');
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]);
}

/** `T` as a route answers it: every personal value replaced by its text (or the erased text). */
export type Revealed<T> = T extends PersonalData ? string : T extends (infer U)[] ? Revealed<U>[] : T extends object ? { [K in keyof T]: Revealed<T[K]> } : T;

/** An engagement and its two parties: whose key its free text is under, and who may end it by their erasure. */
export interface EngagementParties {
  engagementId: string;
  clientId: string;
  assistantId: string;
}

/** The parties an event names (an engagement's client and assistant), for a shared key made from it. */
const partiesOf = (envelope: EventEnvelope): string[] => {
  const d = envelope.data as { clientId?: unknown; assistantId?: unknown };
  return [d.clientId, d.assistantId].filter((x): x is string => typeof x === 'string');
};

/** The development master key: anyone can read this file, so production refuses to start with it (personKeysFromEnv). */
export const DEV_MASTER_KEY = createHash('sha256').update('vaops-dev-keyring-master-key').digest();

/** Seals a person's values for the keyring: the person is erased, nothing may be encrypted under their name again. */
export class PersonErasedError extends Error {
  constructor(readonly personId: string) {
    super(`person ${personId} is erased: nothing is encrypted for them any more`);
    this.name = 'PersonErasedError';
  }
}

export interface PersonKeysOptions {
  /** 32 bytes that wrap every person key (production: from a KMS/HSM, VAOPS_KEYRING_MASTER_KEY). */
  masterKey?: Buffer;
  /** Master keys being rotated out (VAOPS_KEYRING_PREVIOUS_MASTER_KEY): keys still wrapped under one of them open too. */
  previousMasterKeys?: Buffer[];
  /** How long an unwrapped key stays in this process's memory (an erasure elsewhere is heard within it at worst). */
  cacheMs?: number;
  now?: () => number;
}

/**
 * The person keyring (crypto-shredding): one AES-256-GCM key per client contact or assistant, created
 * when they register and wrapped under the master key; an erasure replaces it by a tombstone (when, by
 * whom), after which the person's values read as erased and no key is ever created for them again.
 * Unwrapped keys are cached in the process for `cacheMs` (default 60 s); `forget` (an erasure here,
 * or `PersonErased` heard on the clients topic) drops one at once.
 */
export class PersonKeys {
  private readonly master: Buffer;
  private readonly previous: Buffer[];
  private readonly cacheMs: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, { key: Buffer | null; until: number }>();
  /** Keyring reads under way: concurrent lookups of one person (a name and an email, a page of one client's rows) share one. */
  private readonly reading = new Map<string, Promise<Buffer | null | undefined>>();
  /** Bumped by every forget: a read that began before it does not keep its key (an erasure meanwhile wins). */
  private epoch = 0;

  constructor(
    private readonly store: PersonKeyStore,
    o: PersonKeysOptions = {},
  ) {
    this.master = o.masterKey ?? DEV_MASTER_KEY;
    this.previous = o.previousMasterKeys ?? [];
    if ([this.master, ...this.previous].some((k) => k.length !== 32)) throw new Error('the keyring master key must be 32 bytes');
    this.cacheMs = o.cacheMs ?? 60_000;
    this.now = o.now ?? Date.now;
  }

  /**
   * The subject's key, created when it has none; PersonErasedError when it is erased. A shared subject
   * (an engagement) names its `parties` when its key is made: none of them may be erased, and erasing
   * any of them later destroys it.
   */
  async keyFor(personId: string, parties: readonly string[] = []): Promise<Buffer> {
    const known = await this.key(personId);
    if (known) return known;
    if (known === null) throw new PersonErasedError(personId);
    return this.create(personId, parties);
  }

  /**
   * Makes the key of a subject whose id was just minted (a client or an assistant being registered):
   * nothing is read first, since no key can exist yet. Should one after all, it is the one answered
   * (PersonErasedError when it is a tombstone), as `keyFor` would.
   */
  async create(personId: string, parties: readonly string[] = []): Promise<Buffer> {
    const erasedParty = await this.anyErased(parties);
    if (erasedParty) {
      await this.store.tombstone(personId, `erasure of ${erasedParty}`, new Date(this.now()).toISOString());
      throw new PersonErasedError(personId);
    }
    const fresh = randomBytes(32);
    const iv = randomBytes(12);
    const stored = await this.store.insertIfAbsent({
      personId,
      status: 'active',
      wrapped: { iv: iv.toString('base64'), ct: encrypt(this.master, iv, fresh) },
      createdAt: new Date(this.now()).toISOString(),
      ...(parties.length > 0 ? { parties: [...parties] } : {}),
    });
    if (stored.status === 'erased') throw new PersonErasedError(personId);
    // a party erased while the key was made: the erasure may not have seen it, so it goes now
    const erasedMeanwhile = await this.anyErased(parties);
    if (erasedMeanwhile) {
      await this.store.tombstone(personId, `erasure of ${erasedMeanwhile}`, new Date(this.now()).toISOString());
      throw new PersonErasedError(personId);
    }
    return this.remember(personId, this.unwrap(stored));
  }

  private async anyErased(parties: readonly string[]): Promise<string | undefined> {
    for (const party of parties) if (await this.isErased(party)) return party;
    return undefined;
  }

  /** Whether the person was erased (a tombstone stands in place of their key). */
  async isErased(personId: string): Promise<boolean> {
    return (await this.store.get(personId))?.status === 'erased';
  }

  /**
   * Destroys the person's key (a tombstone: when, by whom) and every key they share (their engagements'
   * free text); `already` when it had been done before (what they share is destroyed again all the same).
   */
  async erase(personId: string, erasedBy: string): Promise<{ erasedAt: string; already: boolean }> {
    const at = new Date(this.now()).toISOString();
    const done = await this.store.tombstone(personId, erasedBy, at);
    for (const shared of await this.store.sharedWith(personId)) {
      await this.store.tombstone(shared, `erasure of ${personId}`, at);
      this.forget(shared);
    }
    this.forget(personId);
    return { erasedAt: done.erasedAt, already: done.already };
  }

  /** Drops the person's key from this process's cache. */
  forget(personId: string): void {
    this.cache.delete(personId);
    this.reading.delete(personId);
    this.epoch++;
  }

  /** Drops every key from this process's cache. */
  private forgetAll(): void {
    this.cache.clear();
    this.reading.clear();
    this.epoch++;
  }

  /** `text` encrypted under the subject's key (a fresh nonce); `parties` for a shared subject's first key. */
  async seal(personId: string, text: string, parties: readonly string[] = []): Promise<SealedPersonalData> {
    const key = await this.keyFor(personId, parties);
    const iv = randomBytes(12);
    return { pii: 'v1', person: personId, iv: iv.toString('base64'), ct: encrypt(key, iv, Buffer.from(text, 'utf8')) };
  }

  /**
   * Free text of a shared subject (an engagement): sealed, or the erased form when the subject (or one
   * of its parties) is erased, so what a party still does (notice, a breach) is recorded without it.
   */
  async sealOrErase(personId: string, text: string, parties: readonly string[] = []): Promise<SealedPersonalData | ErasedPersonalData> {
    try {
      return await this.seal(personId, text, parties);
    } catch (err) {
      if (err instanceof PersonErasedError) return erasedPersonalData(personId);
      throw err;
    }
  }

  /**
   * Free text of an engagement (a summary, a reason, an entry's notes, an appointment's title): sealed
   * under the engagement's key, bound to its client and assistant so that erasing either makes it
   * unreadable; the erased form once one of them is erased.
   */
  sealEngagementText(engagement: EngagementParties, text: string): Promise<SealedText> {
    return this.sealOrErase(engagement.engagementId, text, [engagement.clientId, engagement.assistantId]);
  }

  /**
   * Every personal value anywhere in `value` (a read model's document, a history) replaced by its
   * plaintext, or by `erasedText` when its subject is erased: what a route answers.
   */
  async revealAll<T>(value: T, erasedText: string = ERASED_NAME): Promise<Revealed<T>> {
    // one pass finds the personal values, each person's key (or erasure) is looked up once, then a
    // synchronous pass swaps them in: a page of documents costs one lookup per person, not a promise per field
    const found = new Map<string, PersonalData['pii']>();
    collectPersonalData(value, found);
    if (found.size === 0) return value as Revealed<T>;
    const keyOf = new Map<string, Buffer | null>();
    await Promise.all(
      [...found].map(async ([person, pii]) => {
        if (pii === 'v1') keyOf.set(person, (await this.key(person)) ?? null);
        else if (pii === 'unsealed') keyOf.set(person, (await this.isErased(person)) ? null : EMPTY_KEY);
      }),
    );
    const plain = (v: PersonalData): string | null => {
      if (v.pii === 'erased') return erasedText;
      const key = keyOf.get(v.person) ?? null;
      if (key === null) return erasedText;
      return v.pii === 'unsealed' ? v.text : decrypt(key, v.iv, v.ct).toString('utf8');
    };
    return replacePersonalData(value, plain) as Revealed<T>;
  }

  /** The plaintext of a value; null when its person is erased (or the value is the erased form). */
  async reveal(value: PersonalData | null | undefined): Promise<string | null> {
    if (!value) return null;
    switch (value.pii) {
      case 'erased':
        return null;
      case 'unsealed':
        // only a consumer's transport sees this form, and seals it; a reader still never shows an erased person's
        return (await this.isErased(value.person)) ? null : value.text;
      case 'v1': {
        const key = await this.key(value.person);
        return key ? decrypt(key, value.iv, value.ct).toString('utf8') : null;
      }
      default: {
        const _exhaustive: never = value;
        return null;
      }
    }
  }

  /**
   * The event with every plaintext an upcaster marked (`unsealed`) sealed under its person's key, or
   * replaced by the erased form when the person is erased, so no handler ever stores plaintext. The
   * nonce is derived from the key, the event id, the field and the text: a replay (rebuild) writes the
   * same bytes as the live projection did, and one nonce never serves two plaintexts under one key.
   * A `PersonErased` drops the person's key from the cache.
   */
  async sealEvent<E extends EventEnvelope>(envelope: E): Promise<E> {
    // an erasure is rare and may end keys this process cannot tell apart (the engagements the person shared): all are read again
    if (envelope.type === 'PersonErased') this.forgetAll();
    // an engagement's free text is under a key bound to its two parties: made (or found) as the engagement starts,
    // so the plaintext of its older events is sealed under it, and erasing either party destroys it
    if (envelope.type === 'EngagementStarted') {
      const d = envelope.data as { engagementId: string; clientId: string; assistantId: string };
      await this.keyFor(d.engagementId, [d.clientId, d.assistantId]).catch((err: unknown) => {
        if (!(err instanceof PersonErasedError)) throw err;
      });
    }
    if (!holdsUnsealed(envelope.data)) return envelope;
    const parties = partiesOf(envelope);
    // the nonce's context is the event and the field's path (`reason`, `capacityOverride.reason`, `entries.2.notes`)
    const seal = async (value: unknown, path: string): Promise<unknown> => {
      if (isPersonalData(value)) return value.pii === 'unsealed' ? this.sealDeterministic(value.person, `${envelope.eventId}\u0000${path}`, value.text, parties) : value;
      if (!holdsUnsealed(value)) return value;
      if (Array.isArray(value)) return Promise.all(value.map((v, i) => seal(v, `${path}.${i}`)));
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = await seal(v, path === '' ? k : `${path}.${k}`);
      return out;
    };
    return { ...envelope, data: await seal(envelope.data, '') } as E;
  }

  private async sealDeterministic(personId: string, context: string, text: string, parties: readonly string[]): Promise<PersonalData> {
    let key: Buffer;
    try {
      key = await this.keyFor(personId, parties);
    } catch (err) {
      if (err instanceof PersonErasedError) return erasedPersonalData(personId);
      throw err;
    }
    const iv = createHmac('sha256', key).update(`${context}\u0000${text}`).digest().subarray(0, 12);
    return { pii: 'v1', person: personId, iv: iv.toString('base64'), ct: encrypt(key, iv, Buffer.from(text, 'utf8')) };
  }

  /** The unwrapped key, null when erased, undefined when the person has none yet. */
  private async key(personId: string): Promise<Buffer | null | undefined> {
    const cached = this.cache.get(personId);
    if (cached && cached.until > this.now()) return cached.key;
    const pending = this.reading.get(personId);
    if (pending) return pending;
    const read = this.read(personId).finally(() => {
      if (this.reading.get(personId) === read) this.reading.delete(personId);
    });
    this.reading.set(personId, read);
    return read;
  }

  private async read(personId: string): Promise<Buffer | null | undefined> {
    const epoch = this.epoch;
    const stored = await this.store.get(personId);
    if (!stored) return undefined;
    if (stored.status === 'erased') {
      this.forget(personId);
      return null;
    }
    const key = this.unwrap(stored);
    // an erasure heard while the key was read: answered this once, never cached
    if (epoch === this.epoch) this.remember(personId, key);
    return key;
  }

  private unwrap(stored: Extract<StoredPersonKey, { status: 'active' }>): Buffer {
    return unwrapWith([this.master, ...this.previous], stored.wrapped);
  }

  private remember(personId: string, key: Buffer): Buffer {
    this.cache.set(personId, { key, until: this.now() + this.cacheMs });
    return key;
  }
}

/** Stands for "not erased" beside the keys of sealed values (an unsealed value needs no key). */
const EMPTY_KEY = Buffer.alloc(0);

/**
 * Every person whose personal value stands somewhere in `value`, with the form it has there (sealed ones
 * win, then unsealed ones; an erased form alone needs no lookup but still has to be replaced).
 */
function collectPersonalData(value: unknown, found: Map<string, PersonalData['pii']>): void {
  if (isPersonalData(value)) {
    // an erased value needs no lookup, but it is found all the same: it is replaced too
    if (value.pii === 'erased') {
      if (!found.has(value.person)) found.set(value.person, 'erased');
      return;
    }
    // one lookup serves both forms: a sealed value needs the key, which also says whether the person is erased
    if (value.pii === 'v1' || found.get(value.person) !== 'v1') found.set(value.person, value.pii);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collectPersonalData(v, found);
    return;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) for (const v of Object.values(value)) collectPersonalData(v, found);
}

/** A copy of `value` with every personal value replaced by what `plain` makes of it. */
function replacePersonalData(value: unknown, plain: (v: PersonalData) => string | null): unknown {
  if (isPersonalData(value)) return plain(value);
  if (Array.isArray(value)) return value.map((v) => replacePersonalData(v, plain));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replacePersonalData(v, plain)]));
  }
  return value;
}

/** The key under whichever of the master keys wrapped it (GCM's tag tells a wrong one apart). */
function unwrapWith(masters: readonly Buffer[], wrapped: { iv: string; ct: string }): Buffer {
  for (const [i, master] of masters.entries()) {
    try {
      return decrypt(master, wrapped.iv, wrapped.ct);
    } catch (err) {
      if (i === masters.length - 1) throw err;
    }
  }
  throw new Error('no master key');
}

/**
 * Master key rotation: every key not erased, wrapped under `from` (or already under `to`), is wrapped
 * again under `to`; the person keys themselves, and so every ciphertext ever published, stay valid.
 * Run while the services read both keys (VAOPS_KEYRING_MASTER_KEY = `to`, VAOPS_KEYRING_PREVIOUS_MASTER_KEY
 * = `from`), then drop the previous one. Idempotent: a second run finds nothing to do. A key wrapped
 * under neither is left as it is and named in `unreadable`.
 */
export async function rotateMasterKey(store: PersonKeyStore, from: Buffer, to: Buffer, pageSize = 500): Promise<{ rewrapped: number; already: number; unreadable: string[] }> {
  let after: string | null = null;
  let rewrapped = 0;
  let already = 0;
  // wrapped under neither key (another master, or damaged): left as they are and named, for an operator to look at
  const unreadable: string[] = [];
  for (;;) {
    const page = await store.activePage(after, pageSize);
    if (page.length === 0) return { rewrapped, already, unreadable };
    for (const k of page) {
      try {
        decrypt(to, k.wrapped.iv, k.wrapped.ct);
        already++;
        continue;
      } catch {
        // still under the old master key
      }
      let key: Buffer;
      try {
        key = decrypt(from, k.wrapped.iv, k.wrapped.ct);
      } catch {
        unreadable.push(k.personId);
        continue;
      }
      const iv = randomBytes(12);
      if (await store.rewrap(k.personId, k.wrapped, { iv: iv.toString('base64'), ct: encrypt(to, iv, key) })) rewrapped++;
    }
    after = page[page.length - 1].personId;
  }
}

/** Keys in memory (tests, tools): the same behaviour as the MongoDB store, nothing kept after the process. */
export class MemoryPersonKeyStore implements PersonKeyStore {
  private readonly keys = new Map<string, StoredPersonKey>();

  async get(personId: string): Promise<StoredPersonKey | null> {
    return this.keys.get(personId) ?? null;
  }

  async insertIfAbsent(key: Extract<StoredPersonKey, { status: 'active' }>): Promise<StoredPersonKey> {
    const existing = this.keys.get(key.personId);
    if (existing) return existing;
    this.keys.set(key.personId, key);
    return key;
  }

  async tombstone(personId: string, erasedBy: string, erasedAt: string): Promise<{ erasedAt: string; erasedBy: string; already: boolean }> {
    const existing = this.keys.get(personId);
    if (existing?.status === 'erased') return { erasedAt: existing.erasedAt, erasedBy: existing.erasedBy, already: true };
    this.keys.set(personId, { personId, status: 'erased', erasedAt, erasedBy });
    return { erasedAt, erasedBy, already: false };
  }

  async sharedWith(personId: string): Promise<string[]> {
    return [...this.keys.values()].filter((k) => k.status === 'active' && k.parties?.includes(personId)).map((k) => k.personId);
  }

  async activePage(after: string | null, limit: number): Promise<Extract<StoredPersonKey, { status: 'active' }>[]> {
    return [...this.keys.values()]
      .filter((k): k is Extract<StoredPersonKey, { status: 'active' }> => k.status === 'active' && (after === null || k.personId > after))
      .sort((a, b) => (a.personId < b.personId ? -1 : 1))
      .slice(0, limit);
  }

  async rewrap(personId: string, from: { iv: string; ct: string }, to: { iv: string; ct: string }): Promise<boolean> {
    const k = this.keys.get(personId);
    if (k?.status !== 'active' || k.wrapped.iv !== from.iv || k.wrapped.ct !== from.ct) return false;
    this.keys.set(personId, { ...k, wrapped: to });
    return true;
  }
}
