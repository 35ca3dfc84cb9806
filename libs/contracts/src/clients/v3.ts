import type { Money } from '../money';
import type { PersonalData } from '../personal-data';
import type { WorkingHoursV1 } from './v1';

/**
 * `AssistantRegistered` schema version 3 (published since issue 15, item 4): like v2, with the name and
 * email encrypted under the assistant's key. v1 and v2 events are upcast on read (v2 → v3 marks their
 * plaintext for the consumer to seal).
 */
export interface AssistantRegisteredV3 {
  assistantId: string;
  name: PersonalData;
  email: PersonalData;
  timezone: string;
  /**
   * Weekly capacity in whole minutes (40 h = 2400).
   * @asType integer
   * @minimum 0
   */
  weeklyCapacityMinutes: number;
  skills: string[];
  payRate: Money;
  workingHours: WorkingHoursV1[];
}

/**
 * A client contact or an assistant was erased (GDPR Art. 17): their key is destroyed, so every
 * encrypted value of theirs is unreadable from now on. Carries no personal data. On the person's own
 * stream (`client-<id>` or `assistant-<id>`).
 */
export interface PersonErasedV1 {
  personId: string;
  kind: 'client' | 'assistant';
  erasedAt: string;
}
