import type { Money } from '../money';
import type { PersonalData } from '../personal-data';
import type { AssistantCommitmentReservedV1, CommunicationLoggedV1, EngagementEndedV1, EngagementNoticeGivenV1, EngagementPhaseChangedV1, HandoverCancelledV1, WorkingHoursV1 } from './v1';

/**
 * `AssistantRegistered` schema version 2 (the version the clients service publishes). v1 carried the
 * weekly capacity as fractional hours (`weeklyCapacityHours: 37.5`); every consumer compared it with
 * whole minutes of logged time, so v2 carries whole minutes. v1 events stay in the log and are upcast
 * on read (`upcastEnvelope`): weeklyCapacityMinutes = round(weeklyCapacityHours × 60).
 */
export interface AssistantRegisteredV2 {
  assistantId: string;
  name: string;
  email: string;
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
 * `ClientRegistered` schema version 2 (published since issue 15, item 4): the contact's name and email
 * are encrypted under the client's key (crypto-shredding). v1 carried them in plaintext; v1 events are
 * upcast on read, their plaintext sealed by the consumer before any handler sees it.
 */
export interface ClientRegisteredV2 {
  clientId: string;
  name: PersonalData;
  email: PersonalData;
  timezone: string;
  currency: string;
}

/*
 * Free text of an engagement, schema version 2 (published since issue 15, item 4): encrypted under the
 * engagement's key, which names its client and assistant, so erasing either makes it unreadable. The
 * v1 events carried plaintext; they are upcast on read, their text sealed by the consumer.
 */

export interface EngagementPhaseChangedV2 extends Omit<EngagementPhaseChangedV1, 'reason'> {
  reason: PersonalData;
}

export interface EngagementNoticeGivenV2 extends Omit<EngagementNoticeGivenV1, 'reason'> {
  reason: PersonalData;
}

export interface EngagementEndedV2 extends Omit<EngagementEndedV1, 'reason'> {
  /** For a breach or a withdrawn handover: why; null at the end of a notice. */
  reason: PersonalData | null;
}

export interface HandoverCancelledV2 extends Omit<HandoverCancelledV1, 'reason'> {
  reason: PersonalData;
}

export interface CommunicationLoggedV2 extends Omit<CommunicationLoggedV1, 'summary'> {
  summary: PersonalData;
}

/**
 * `AssistantCommitmentReserved` schema version 2: the agency's reason for going over capacity is
 * encrypted under the engagement's key (it may name the assistant's circumstances). v1 carried it in
 * plaintext and is upcast on read, its reason sealed by the consumer.
 */
export interface AssistantCommitmentReservedV2 extends Omit<AssistantCommitmentReservedV1, 'capacityOverride'> {
  /** Set when the agency allowed going over capacity; the reason is recorded. */
  capacityOverride: { reason: PersonalData } | null;
}
