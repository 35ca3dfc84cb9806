import type { ErasedPersonalData, PersonErasedV1, SealedPersonalData } from '@vaops/contracts';

/**
 * A personal field as the clients service stores it in its own events: encrypted under the person's
 * (or the engagement's) key since issue 15, item 4, the erased form for free text recorded after a
 * party's erasure, or plaintext in events stored before (published as the older version).
 */
export type StoredPersonalData = SealedPersonalData | ErasedPersonalData | string;

/** `T` with its free-text field `F` as stored. */
export type WithStoredText<T, F extends keyof T> = Omit<T, F> & { [K in F]: null extends T[K] ? StoredPersonalData | null : StoredPersonalData };

/** The event version to publish: the older one for plaintext stored before encryption, else the encrypted one. */
export const versionFor = (text: StoredPersonalData | null, plaintextVersion: number): number => (typeof text === 'string' ? plaintextVersion : plaintextVersion + 1);

/** Erasing a person: the event on their own stream (`client-<id>`, `assistant-<id>`), then their key is destroyed. */
export type PersonErasedEvent = { type: 'PersonErased'; data: PersonErasedV1 };

/** The command both person deciders take. */
export type ErasePerson = { type: 'ErasePerson'; data: { erasedAt: string } };
