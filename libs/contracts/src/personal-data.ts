/**
 * Personal data of a client contact or an assistant (names, emails) travels encrypted under a key of
 * that person (crypto-shredding): erasing the person destroys the key, and every copy of the ciphertext
 * (the Kafka log, read models, backups) becomes unreadable while ids, amounts, hours and dates stay.
 * Format and key handling: docs/events.md "Personal data".
 */

/** A value encrypted with AES-256-GCM under the person's key. */
export interface SealedPersonalData {
  /** Format of the encrypted value. */
  pii: 'v1';
  /** Whose key encrypts it: the client's or the assistant's id. */
  person: string;
  /** The 12-byte GCM nonce, base64. */
  iv: string;
  /** Ciphertext followed by the 16-byte GCM tag, base64. */
  ct: string;
}

/** The value of an erased person: nothing of it is left. */
export interface ErasedPersonalData {
  pii: 'erased';
  person: string;
}

/**
 * Plaintext of an event published before personal data was encrypted (ClientRegistered v1,
 * AssistantRegistered v1/v2), as the pure upcaster hands it on. Never published: a consumer's
 * transport seals it under the person's key (or replaces it by the erased form) before any handler
 * sees it (libs/platform `sealPersonalData`).
 */
export interface UnsealedPersonalData {
  pii: 'unsealed';
  person: string;
  text: string;
}

/** A personal field of an event at its newest version. */
export type PersonalData = SealedPersonalData | ErasedPersonalData | UnsealedPersonalData;

/** What a personal field published now may hold: always encrypted. */
export type PublishedPersonalData = SealedPersonalData;

export const isPersonalData = (v: unknown): v is PersonalData =>
  typeof v === 'object' && v !== null && typeof (v as { pii?: unknown }).pii === 'string' && typeof (v as { person?: unknown }).person === 'string';

/** Whether `value` holds, at any depth, plaintext an upcaster marked for sealing (`unsealed`). */
export const holdsUnsealed = (value: unknown): boolean => {
  if (isPersonalData(value)) return value.pii === 'unsealed';
  if (Array.isArray(value)) return value.some(holdsUnsealed);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsUnsealed);
  return false;
};

/** The erased form of a person's value. */
export const erasedPersonalData = (person: string): ErasedPersonalData => ({ pii: 'erased', person });

/** What a reader shows in place of an erased person's name. */
export const ERASED_NAME = '[erased]';

/**
 * A personal field as a service stores it in its own events: encrypted under the person's (or the
 * engagement's) key since issue 15, item 4, the erased form for text recorded after a party's erasure,
 * or plaintext in events stored before (published as the older version).
 */
export type StoredPersonalData = SealedText | string;

/**
 * Free text as a route hands it to a decider: encrypted under its subject's key, or the erased form once
 * the subject (or one of its parties) is erased. Deciders and event stores never see plaintext.
 */
export type SealedText = SealedPersonalData | ErasedPersonalData;

/**
 * The event version to publish: the older one when any of its texts is plaintext stored before
 * encryption, else the encrypted one (`plaintextVersion + 1`).
 */
export const versionFor = (plaintextVersion: number, ...texts: (StoredPersonalData | null)[]): number =>
  texts.some((t) => typeof t === 'string') ? plaintextVersion : plaintextVersion + 1;
