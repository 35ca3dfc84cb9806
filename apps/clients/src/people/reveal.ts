import { ERASED_NAME, type PersonalData } from '@vaops/contracts';
import type { PersonKeys } from '@vaops/platform';

/** How the clients API shows a person's name and email: decrypted, or `{name: "[erased]", email: null, erased: true}` (`erased` only then). */
export interface RevealedPerson {
  name: string;
  email: string | null;
  erased?: true;
}

export async function revealPerson(keys: PersonKeys, name: PersonalData, email: PersonalData): Promise<RevealedPerson> {
  const [n, m] = await Promise.all([keys.reveal(name), keys.reveal(email)]);
  // both under one key: either both read or the person is erased
  if (n === null || m === null) return { name: ERASED_NAME, email: null, erased: true };
  return { name: n, email: m };
}
