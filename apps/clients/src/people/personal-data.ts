import type { PersonErasedV1, SealedPersonalData } from '@vaops/contracts';

/**
 * A personal field as the clients service stores it in its own events: encrypted under the person's
 * key (since issue 15, item 4), or plaintext in events stored before (published as the older version).
 */
export type StoredPersonalData = SealedPersonalData | string;

/** Erasing a person: the event on their own stream (`client-<id>`, `assistant-<id>`), then their key is destroyed. */
export type PersonErasedEvent = { type: 'PersonErased'; data: PersonErasedV1 };

/** The command both person deciders take. */
export type ErasePerson = { type: 'ErasePerson'; data: { erasedAt: string } };
