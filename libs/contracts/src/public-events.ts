import type {
  AgencySettingsChangedV1,
  AssistantCommitmentReleasedV1,
  EngagementPlanChangedV1,
  EngagementStartedV1,
  EngagementWentSilentV1,
  HandoverPlannedV1,
  ReviewCadenceSetV1,
} from './clients/v1';
import type { AssistantCommitmentReservedV2, ClientRegisteredV2, CommunicationLoggedV2, EngagementEndedV2, EngagementNoticeGivenV2, EngagementPhaseChangedV2, HandoverCancelledV2 } from './clients/v2';
import type { AssistantRegisteredV3, PersonErasedV1 } from './clients/v3';
import type { AppointmentKeptV1, AppointmentNoShowV1, HandoverScheduledV1, HandoverUnwoundV1 } from './scheduling/v1';
import type { AppointmentBookedV2, AppointmentCancelledV2, AppointmentRescheduledV2 } from './scheduling/v2';
import type { RetainerUsageWarningV1, TimesheetApprovedV1, TimesheetSubmittedV1 } from './time-tracking/v1';
import type { TimeEntryAdjustedV2, TimeEntryCorrectedV2, TimeEntryLoggedV2, TimesheetRejectedV2 } from './time-tracking/v2';
import type { InvoiceDraftedV1, InvoiceIssuedV1, InvoicePaidV1, PayoutComputedV1 } from './billing/v1';
import type { CreditNoteIssuedV2, InvoiceVoidedV2 } from './billing/v2';
import type { EventEnvelope } from './envelope';
import type { PersonalData, StoredPersonalData } from './personal-data';

/**
 * The data of every public event type at its newest schema version (`LatestSchemaVersion`): what a
 * consumer receives once `decodeEvent` has upcast it. A new version of a type changes its line here.
 */
export interface PublicEventData {
  ClientRegistered: ClientRegisteredV2;
  AssistantRegistered: AssistantRegisteredV3;
  PersonErased: PersonErasedV1;
  AssistantCommitmentReserved: AssistantCommitmentReservedV2;
  AssistantCommitmentReleased: AssistantCommitmentReleasedV1;
  EngagementStarted: EngagementStartedV1;
  EngagementPhaseChanged: EngagementPhaseChangedV2;
  EngagementPlanChanged: EngagementPlanChangedV1;
  EngagementNoticeGiven: EngagementNoticeGivenV2;
  EngagementEnded: EngagementEndedV2;
  CommunicationLogged: CommunicationLoggedV2;
  ReviewCadenceSet: ReviewCadenceSetV1;
  EngagementWentSilent: EngagementWentSilentV1;
  AgencySettingsChanged: AgencySettingsChangedV1;
  HandoverPlanned: HandoverPlannedV1;
  HandoverCancelled: HandoverCancelledV2;
  AppointmentBooked: AppointmentBookedV2;
  AppointmentRescheduled: AppointmentRescheduledV2;
  AppointmentCancelled: AppointmentCancelledV2;
  AppointmentKept: AppointmentKeptV1;
  AppointmentNoShow: AppointmentNoShowV1;
  HandoverScheduled: HandoverScheduledV1;
  HandoverUnwound: HandoverUnwoundV1;
  TimeEntryLogged: TimeEntryLoggedV2;
  TimeEntryCorrected: TimeEntryCorrectedV2;
  TimeEntryAdjusted: TimeEntryAdjustedV2;
  TimesheetSubmitted: TimesheetSubmittedV1;
  TimesheetApproved: TimesheetApprovedV1;
  TimesheetRejected: TimesheetRejectedV2;
  RetainerUsageWarning: RetainerUsageWarningV1;
  InvoiceDrafted: InvoiceDraftedV1;
  InvoiceIssued: InvoiceIssuedV1;
  InvoicePaid: InvoicePaidV1;
  InvoiceVoided: InvoiceVoidedV2;
  CreditNoteIssued: CreditNoteIssuedV2;
  PayoutComputed: PayoutComputedV1;
}

export type PublicEventType = keyof PublicEventData;

/** A decoded public event of one type, its data typed: what an event handler of that type receives. */
export type PublicEvent<T extends PublicEventType = PublicEventType> = { [K in T]: EventEnvelope<K, PublicEventData[K]> }[T];

/** A field of a published type as its producer stores it: a personal value may be plaintext stored before it was encrypted. */
type StoredField<V> = V extends PersonalData ? StoredPersonalData : V;

/**
 * The data of a published type as the producing service keeps it in its own event store: the newest
 * version's fields, each personal one sealed (or erased) since issue 15, item 4, or the plaintext of an
 * event stored before (which the service publishes at the older version, `versionFor`).
 */
export type Stored<T> = { [K in keyof T]: StoredField<T[K]> };

/**
 * Domain events that are public contracts field for field, as a stream stores them: `StoredEventOf<'A' | 'B'>`
 * is `{type: 'A'; data: Stored<A's data>} | {type: 'B'; ...}`, what a decider's evolve folds.
 */
export type StoredEventOf<T extends PublicEventType> = T extends unknown ? { type: T; data: Stored<PublicEventData[T]> } : never;
