import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** What makes the ids of one request repeatable: a seed naming the request and the instant it was first seen. */
export interface IdSeed {
  seed: string;
  /** Milliseconds since the epoch: the ids' timestamp. */
  at: number;
}

interface IdScope extends IdSeed {
  next: number;
}

const scope = new AsyncLocalStorage<IdScope>();

/**
 * The n-th id of a seeded request, shaped as a UUID v7: the 48-bit timestamp of `at`, the version, a
 * 12-bit counter (so the ids of one request sort in the order they were made, as v7 ids do) and the
 * variant, the remaining 62 bits from sha256(seed, n).
 */
export function seededId(seed: string, at: number, n: number): string {
  const b = Buffer.alloc(16);
  b.writeUIntBE(at, 0, 6);
  createHash('sha256').update(`${seed}\u0000${n}`).digest().copy(b, 8, 0, 8);
  b.writeUInt16BE(0x7000 | (n & 0x0fff), 6);
  b[8] = 0x80 | (b[8] & 0x3f);
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Runs `fn` with seeded ids: every `newId()` in it (across awaits) is the next of `seed` at `at`. A request
 * decided again under the same seed (a retry whose first attempt died mid-way) makes the same ids, so it
 * finds what the first attempt created instead of creating it twice.
 */
export function withSeededIds<T>(seed: IdSeed, fn: () => T): T {
  return scope.run({ ...seed, next: 0 }, fn);
}

/**
 * Time-ordered UUID v7 of something a command creates: server-generated ids sort by creation, which keeps
 * cursors simple. Seeded inside `withSeededIds`, random elsewhere.
 */
export const newId = (): string => {
  const s = scope.getStore();
  return s ? seededId(s.seed, s.at, s.next++) : uuidv7();
};

/** A random UUID v7, seeded nowhere: for ids that must differ on every attempt (stored events, owners). */
export const randomId = (): string => uuidv7();
