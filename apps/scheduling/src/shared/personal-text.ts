import { erasedPersonalData, type ErasedPersonalData, type PersonalData, type SealedPersonalData } from '@vaops/contracts';
import type { PersonKeys } from '@vaops/platform';

/**
 * Free text of an appointment (its title, the reason it moved or was cancelled) as a command carries
 * it: encrypted under the engagement's key by the route or process before anything is decided, or the
 * erased form when a party of the engagement is erased.
 */
export type EngagementText = SealedPersonalData | ErasedPersonalData;

/** The same text as the calendar stream stores it: plaintext in the events stored before issue 15, item 4. */
export type StoredText = EngagementText | string;

/** The event version to publish: the older one for plaintext stored before encryption, else the encrypted one. */
export const versionFor = (text: StoredText | null, plaintextVersion: number): number => (typeof text === 'string' ? plaintextVersion : plaintextVersion + 1);

/** The parties of an engagement whose key seals its appointments' text: erasing either makes it unreadable. */
export interface EngagementParties {
  engagementId: string;
  clientId: string;
  assistantId: string;
}

/** `text` sealed under the engagement's key (bound to its client and assistant), or the erased form once one of them is erased. */
export const engagementText = (keys: PersonKeys, e: EngagementParties, text: string): Promise<EngagementText> => keys.sealOrErase(e.engagementId, text, [e.clientId, e.assistantId]);

/**
 * Another engagement's text (an appointment's title, as a read model keeps it) sealed again under
 * `to`'s key: what a handover copies to the replacement's calendar or back. null stays null; a text
 * no longer readable (a party of its engagement erased) becomes the erased form of `to`, so each
 * engagement's copy depends on its own parties only.
 */
export async function resealText(keys: PersonKeys, value: PersonalData | string | null | undefined, to: EngagementParties): Promise<EngagementText | null> {
  if (value === null || value === undefined) return null;
  const plain = typeof value === 'string' ? value : await keys.reveal(value);
  return plain === null ? erasedPersonalData(to.engagementId) : engagementText(keys, to, plain);
}
