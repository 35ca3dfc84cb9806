import type { PersonErasedV1 } from '@vaops/contracts';

/** Erasing a person: the event on their own stream (`client-<id>`, `assistant-<id>`), then their key is destroyed. */
export type PersonErasedEvent = { type: 'PersonErased'; data: PersonErasedV1 };

/** The command both person deciders take. */
export type ErasePerson = { type: 'ErasePerson'; data: { erasedAt: string } };
