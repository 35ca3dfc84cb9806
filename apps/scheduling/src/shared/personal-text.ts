import { erasedPersonalData, type PersonalData, type SealedText } from '@vaops/contracts';
import type { EngagementParties, PersonKeys } from '@vaops/platform';

/**
 * Another engagement's text (an appointment's title, as a read model keeps it) sealed again under
 * `to`'s key: what a handover copies to the replacement's calendar or back. null stays null; a text
 * no longer readable (a party of its engagement erased) becomes the erased form of `to`, so each
 * engagement's copy depends on its own parties only.
 */
export async function resealText(keys: PersonKeys, value: PersonalData | string | null | undefined, to: EngagementParties): Promise<SealedText | null> {
  if (value === null || value === undefined) return null;
  const plain = typeof value === 'string' ? value : await keys.reveal(value);
  return plain === null ? erasedPersonalData(to.engagementId) : keys.sealEngagementText(to, plain);
}
