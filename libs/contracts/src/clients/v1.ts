import type { Money } from '../money';

/**
 * Public events of the clients service, schema version 1. Documented in docs/events.md.
 * Adding an optional field keeps the version; anything else is a new version beside this one.
 */
export interface ClientRegisteredV1 {
  clientId: string;
  name: string;
  email: string;
  timezone: string;
  currency: string;
}

export interface WorkingHoursV1 {
  /** ISO weekday 1 (Monday) .. 7 (Sunday). */
  day: number;
  /** Local "HH:mm" in the assistant's time zone. */
  start: string;
  end: string;
}

export interface AssistantRegisteredV1 {
  assistantId: string;
  name: string;
  email: string;
  timezone: string;
  weeklyCapacityHours: number;
  skills: string[];
  payRate: Money;
  workingHours: WorkingHoursV1[];
}

export type Phase = 1 | 2 | 3;

export type PlanV1 =
  | { type: 'hourly'; rate: Money }
  | {
      type: 'retainer';
      monthlyFee: Money;
      includedHours: number;
      overageRate: Money;
      rollover: boolean;
    };

export type EngagementKind = 'part-time' | 'full-time';
export type Party = 'assistant' | 'client';

/** An assistant's hours were committed to an engagement (the capacity and exclusivity checks passed). */
export interface AssistantCommitmentReservedV1 {
  assistantId: string;
  engagementId: string;
  clientId: string;
  kind: EngagementKind;
  weeklyHours: number;
  /** Set when the agency allowed going over capacity; the reason is recorded. */
  capacityOverride: { reason: string } | null;
}

export interface AssistantCommitmentReleasedV1 {
  assistantId: string;
  engagementId: string;
}

export interface EngagementStartedV1 {
  engagementId: string;
  clientId: string;
  assistantId: string;
  kind: EngagementKind;
  weeklyHours: number;
  /** YYYY-MM-DD */
  startsOn: string;
  noticePeriodDays: number;
  /** null: no trust phase, every duty category allowed. */
  phase: Phase | null;
  plan: PlanV1;
  /** Set when the engagement replaces one in notice (a handover): the outgoing engagement's id. */
  handoverOf?: string;
}

export interface EngagementPhaseChangedV1 {
  engagementId: string;
  from: Phase | null;
  to: Phase;
  /** Phases passed over by this change (a skip is never silent). */
  skipped: Phase[];
  reason: string;
  decidedBy: { sub: string; role: string };
  /** ISO instant from which the new phase applies. */
  effectiveAt: string;
}

export interface EngagementPlanChangedV1 {
  engagementId: string;
  plan: PlanV1;
  /** YYYY-MM-DD, never before the day it was decided: the past is not rewritten. */
  effectiveOn: string;
}

export interface EngagementNoticeGivenV1 {
  engagementId: string;
  by: Party;
  reason: string;
  givenAt: string;
  /** YYYY-MM-DD on which the engagement ends (in the agency's zone). */
  endsOn: string;
}

export interface EngagementEndedV1 {
  engagementId: string;
  endedBy: 'notice' | 'breach';
  /** YYYY-MM-DD */
  endedOn: string;
  /** For a breach: which side broke it off, and why. */
  breachBy: Party | null;
  reason: string | null;
  /** True when a replacement engagement ended before its first day because its handover was cancelled. */
  cancelledBeforeStart?: boolean;
}

/**
 * The agency handed an engagement in notice over to a replacement (recorded on the outgoing engagement's
 * stream): a new engagement `newEngagementId` with the same client, kind, hours and plan starts on
 * `handoverOn` with `startingPhase`; the scheduling service moves the appointments from that day on.
 */
export interface HandoverPlannedV1 {
  engagementId: string;
  newEngagementId: string;
  clientId: string;
  outgoingAssistantId: string;
  replacementAssistantId: string;
  /** YYYY-MM-DD (agency zone): the replacement's first day, before the outgoing engagement's end. */
  handoverOn: string;
  startingPhase: Phase | null;
  /** YYYY-MM-DD on which the outgoing engagement ends (its notice). */
  endsOn: string;
  plannedAt: string;
}

/** A planned handover was withdrawn before its day: the replacement engagement ends without having started. */
export interface HandoverCancelledV1 {
  engagementId: string;
  newEngagementId: string;
  /** Who withdrew: the agency, or the replacement assistant. */
  by: 'agency' | 'assistant';
  reason: string;
  cancelledAt: string;
}

export type CommunicationChannel = 'call' | 'video' | 'message' | 'in-person';

export interface CommunicationLoggedV1 {
  engagementId: string;
  channel: CommunicationChannel;
  occurredAt: string;
  summary: string;
}

export interface ReviewCadenceSetV1 {
  engagementId: string;
  everyDays: number;
}

export interface EngagementWentSilentV1 {
  engagementId: string;
  clientId: string;
  assistantId: string;
  /** The last communication (or the start) before the silence. */
  lastActivityAt: string;
  silentWorkingDays: number;
  detectedAt: string;
}

export interface AgencySettingsChangedV1 {
  timezone: string;
  minimumNoticeHours: number;
  bufferMinutes: number;
  roundingMinutes: 0 | 6 | 15;
  roundingMode: 'up' | 'nearest';
  silenceWorkingDays: number;
}

export const DEFAULT_AGENCY_SETTINGS: AgencySettingsChangedV1 = {
  timezone: 'UTC',
  minimumNoticeHours: 24,
  bufferMinutes: 0,
  roundingMinutes: 0,
  roundingMode: 'nearest',
  silenceWorkingDays: 5,
};
