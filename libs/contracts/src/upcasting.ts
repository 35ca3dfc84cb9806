import type { EventEnvelope } from './envelope';
import type { AssistantCommitmentReservedV1, AssistantRegisteredV1, ClientRegisteredV1, CommunicationLoggedV1, EngagementEndedV1, EngagementNoticeGivenV1, EngagementPhaseChangedV1, HandoverCancelledV1 } from './clients/v1';
import type { AssistantCommitmentReservedV2, AssistantRegisteredV2, ClientRegisteredV2, CommunicationLoggedV2, EngagementEndedV2, EngagementNoticeGivenV2, EngagementPhaseChangedV2, HandoverCancelledV2 } from './clients/v2';
import type { AssistantRegisteredV3 } from './clients/v3';
import type { CreditNoteIssuedV1, InvoiceVoidedV1 } from './billing/v1';
import type { CreditNoteIssuedV2, InvoiceVoidedV2 } from './billing/v2';
import type { AppointmentBookedV1, AppointmentCancelledV1, AppointmentRescheduledV1 } from './scheduling/v1';
import type { AppointmentBookedV2, AppointmentCancelledV2, AppointmentRescheduledV2 } from './scheduling/v2';
import type { UnsealedPersonalData } from './personal-data';
import type { TimeEntryAdjustedV1, TimeEntryCorrectedV1, TimeEntryLoggedV1, TimesheetRejectedV1 } from './time-tracking/v1';
import type { TimeEntryAdjustedV2, TimeEntryCorrectedV2, TimeEntryLoggedV2, TimesheetRejectedV2 } from './time-tracking/v2';

/** Turns the data of `type` at version N into its data at version N + 1. Pure: no lookups, no clock. */
export type Upcaster = (data: unknown, envelope: EventEnvelope) => unknown;

/** Plaintext of an old event, marked for the consumer to seal under the person's key (it holds no keys here). */
const unsealed = (person: string, text: string): UnsealedPersonalData => ({ pii: 'unsealed', person, text });

/** A free-text field of an event (null stays null) marked for sealing under the key of `subject` (a person, an engagement). */
const sealedText =
  <V1, V2>(field: keyof V1 & keyof V2 & string, subject: (d: V1) => string): Upcaster =>
  (data): V2 => {
    const d = data as V1;
    const text = d[field] as unknown as string | null;
    return { ...d, [field]: text === null ? null : unsealed(subject(d), text) } as V2;
  };

/** An engagement event's free-text field, under the engagement's key (bound to its client and assistant). */
const engagementText = <V1 extends { engagementId: string }, V2>(field: keyof V1 & keyof V2 & string): Upcaster => sealedText<V1, V2>(field, (d) => d.engagementId);

/** Upcasters of one version step applied in turn (an event with two free-text fields). */
const inTurn =
  (...steps: Upcaster[]): Upcaster =>
  (data, envelope) =>
    steps.reduce((d, step) => step(d, envelope), data);

/** `Upcasters[type][n]` upcasts version n to n + 1. Every version but the latest of a type has one. */
export const Upcasters: Readonly<Record<string, Readonly<Record<number, Upcaster>>>> = {
  ClientRegistered: {
    1: (data): ClientRegisteredV2 => {
      const d = data as ClientRegisteredV1;
      return { ...d, name: unsealed(d.clientId, d.name), email: unsealed(d.clientId, d.email) };
    },
  },
  // an engagement's free text: marked for sealing under the engagement's key (bound to its two parties)
  EngagementPhaseChanged: { 1: engagementText<EngagementPhaseChangedV1, EngagementPhaseChangedV2>('reason') },
  EngagementNoticeGiven: { 1: engagementText<EngagementNoticeGivenV1, EngagementNoticeGivenV2>('reason') },
  EngagementEnded: { 1: engagementText<EngagementEndedV1, EngagementEndedV2>('reason') },
  HandoverCancelled: { 1: engagementText<HandoverCancelledV1, HandoverCancelledV2>('reason') },
  CommunicationLogged: { 1: engagementText<CommunicationLoggedV1, CommunicationLoggedV2>('summary') },
  AssistantCommitmentReserved: {
    1: (data): AssistantCommitmentReservedV2 => {
      const d = data as AssistantCommitmentReservedV1;
      return { ...d, capacityOverride: d.capacityOverride === null ? null : { reason: unsealed(d.engagementId, d.capacityOverride.reason) } };
    },
  },
  // billing's reasons: under the client's key
  InvoiceVoided: { 1: sealedText<InvoiceVoidedV1, InvoiceVoidedV2>('reason', (d) => d.clientId) },
  CreditNoteIssued: { 1: sealedText<CreditNoteIssuedV1, CreditNoteIssuedV2>('reason', (d) => d.clientId) },
  // an appointment's title and reasons: under its engagement's key (a null title stays null)
  AppointmentBooked: { 1: engagementText<AppointmentBookedV1, AppointmentBookedV2>('title') },
  AppointmentRescheduled: { 1: engagementText<AppointmentRescheduledV1, AppointmentRescheduledV2>('reason') },
  AppointmentCancelled: { 1: engagementText<AppointmentCancelledV1, AppointmentCancelledV2>('reason') },
  AssistantRegistered: {
    1: (data): AssistantRegisteredV2 => {
      const { weeklyCapacityHours, ...rest } = data as AssistantRegisteredV1;
      return { ...rest, weeklyCapacityMinutes: Math.round(weeklyCapacityHours * 60) };
    },
    2: (data): AssistantRegisteredV3 => {
      const d = data as AssistantRegisteredV2;
      return { ...d, name: unsealed(d.assistantId, d.name), email: unsealed(d.assistantId, d.email) };
    },
  },
  // time-tracking: an entry's notes and a timesheet's reasons are the engagement's free text too
  TimeEntryLogged: { 1: engagementText<TimeEntryLoggedV1, TimeEntryLoggedV2>('notes') },
  TimeEntryCorrected: { 1: engagementText<TimeEntryCorrectedV1, TimeEntryCorrectedV2>('notes') },
  TimeEntryAdjusted: { 1: inTurn(engagementText<TimeEntryAdjustedV1, TimeEntryAdjustedV2>('notes'), engagementText<TimeEntryAdjustedV1, TimeEntryAdjustedV2>('reason')) },
  TimesheetRejected: { 1: engagementText<TimesheetRejectedV1, TimesheetRejectedV2>('reason') },
};

/**
 * The envelope at the newest schema version its type has, applying one upcaster per version. Consumers
 * are written against the latest version only; the log keeps what was published.
 */
export function upcastEnvelope(envelope: EventEnvelope, latest: number): EventEnvelope {
  let current = envelope;
  while (current.schemaVersion < latest) {
    const step = Upcasters[current.type]?.[current.schemaVersion];
    if (!step) throw new Error(`no upcaster for ${current.type} v${current.schemaVersion}`);
    current = { ...current, schemaVersion: current.schemaVersion + 1, data: step(current.data, current) };
  }
  return current;
}
