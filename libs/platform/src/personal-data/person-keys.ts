import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { erasedPersonalData, isPersonalData, type EventEnvelope, type PersonalData, type SealedPersonalData } from '@vaops/contracts';

/** A person's key as stored: wrapped under the master key (AES-256-GCM), or the tombstone of an erasure. */
export type StoredPersonKey =
  | { personId: string; status: 'active'; wrapped: { iv: string; ct: string }; createdAt: string }
  | { personId: string; status: 'erased'; erasedAt: string; erasedBy: string };

/**
 * Where person keys live (adapters: MongoPersonKeyStore in the shared keyring database, and
 * MemoryPersonKeyStore). Both pass one contract spec (person-keys.contract.ts).
 */
export interface PersonKeyStore {
  get(personId: string): Promise<StoredPersonKey | null>;
  /** Stores a new key unless the person has one or a tombstone: what is stored afterwards is returned. */
  insertIfAbsent(key: Extract<StoredPersonKey, { status: 'active' }>): Promise<StoredPersonKey>;
  /** Replaces whatever the person has (key, nothing) by a tombstone; an existing tombstone is kept and returned. */
  tombstone(personId: string, erasedBy: string, erasedAt: string): Promise<{ erasedAt: string; erasedBy: string; already: boolean }>;
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
  private readonly cacheMs: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, { key: Buffer | null; until: number }>();

  constructor(
    private readonly store: PersonKeyStore,
    o: PersonKeysOptions = {},
  ) {
    this.master = o.masterKey ?? DEV_MASTER_KEY;
    if (this.master.length !== 32) throw new Error('the keyring master key must be 32 bytes');
    this.cacheMs = o.cacheMs ?? 60_000;
    this.now = o.now ?? Date.now;
  }

  /** The person's key, created when they have none; PersonErasedError when they are erased. */
  async keyFor(personId: string): Promise<Buffer> {
    const known = await this.key(personId);
    if (known) return known;
    if (known === null) throw new PersonErasedError(personId);
    const fresh = randomBytes(32);
    const iv = randomBytes(12);
    const stored = await this.store.insertIfAbsent({ personId, status: 'active', wrapped: { iv: iv.toString('base64'), ct: encrypt(this.master, iv, fresh) }, createdAt: new Date(this.now()).toISOString() });
    if (stored.status === 'erased') throw new PersonErasedError(personId);
    return this.remember(personId, this.unwrap(stored));
  }

  /** Whether the person was erased (a tombstone stands in place of their key). */
  async isErased(personId: string): Promise<boolean> {
    return (await this.store.get(personId))?.status === 'erased';
  }

  /** Destroys the person's key (a tombstone: when, by whom); `already` when it had been done before. */
  async erase(personId: string, erasedBy: string): Promise<{ erasedAt: string; already: boolean }> {
    const done = await this.store.tombstone(personId, erasedBy, new Date(this.now()).toISOString());
    this.forget(personId);
    return { erasedAt: done.erasedAt, already: done.already };
  }

  /** Drops the person's key from this process's cache. */
  forget(personId: string): void {
    this.cache.delete(personId);
  }

  /** `text` encrypted under the person's key (a fresh nonce). */
  async seal(personId: string, text: string): Promise<SealedPersonalData> {
    const key = await this.keyFor(personId);
    const iv = randomBytes(12);
    return { pii: 'v1', person: personId, iv: iv.toString('base64'), ct: encrypt(key, iv, Buffer.from(text, 'utf8')) };
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
    if (envelope.type === 'PersonErased') this.forget((envelope.data as { personId: string }).personId);
    const data = envelope.data as Record<string, unknown> | null;
    if (!data || typeof data !== 'object') return envelope;
    let changed: Record<string, unknown> | undefined;
    for (const [field, value] of Object.entries(data)) {
      if (!isPersonalData(value) || value.pii !== 'unsealed') continue;
      changed ??= { ...data };
      changed[field] = await this.sealDeterministic(value.person, `${envelope.eventId}\u0000${field}`, value.text);
    }
    return changed ? { ...envelope, data: changed } : envelope;
  }

  private async sealDeterministic(personId: string, context: string, text: string): Promise<PersonalData> {
    let key: Buffer;
    try {
      key = await this.keyFor(personId);
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
    const stored = await this.store.get(personId);
    if (!stored) return undefined;
    if (stored.status === 'erased') {
      this.forget(personId);
      return null;
    }
    return this.remember(personId, this.unwrap(stored));
  }

  private unwrap(stored: Extract<StoredPersonKey, { status: 'active' }>): Buffer {
    return decrypt(this.master, stored.wrapped.iv, stored.wrapped.ct);
  }

  private remember(personId: string, key: Buffer): Buffer {
    this.cache.set(personId, { key, until: this.now() + this.cacheMs });
    return key;
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
}
