import { Topics } from './topics';

/** The publishing services; each owns one topic (`Topics`). */
export type ContractService = keyof typeof Topics;

export interface CatalogEntry {
  service: ContractService;
  type: string;
  schemaVersion: number;
  /** The TypeScript interface in libs/contracts the JSON Schema is generated from. */
  dataType: string;
  summary: string;
}

const e = (service: ContractService, type: string, schemaVersion: number, summary: string): CatalogEntry => ({
  service,
  type,
  schemaVersion,
  dataType: `${type}V${schemaVersion}`,
  summary,
});

/**
 * Every public event version, the one list the JSON Schemas, the AsyncAPI document and the validators
 * are generated from. An old version stays listed as long as the log may hold it (it is upcast on read);
 * `LatestSchemaVersion` is what producers publish and what consumers receive after upcasting.
 */
export const EventCatalog: readonly CatalogEntry[] = [
  e('clients', 'ClientRegistered', 1, 'A client of the agency was registered (name and email in plaintext; superseded by v2, upcast on read).'),
  e('clients', 'ClientRegistered', 2, "A client of the agency was registered; name and email encrypted under the client's key."),
  e('clients', 'AssistantRegistered', 1, 'An assistant joined the agency (capacity in fractional hours; superseded by v2, upcast on read).'),
  e('clients', 'AssistantRegistered', 2, 'An assistant joined the agency, with weekly capacity in whole minutes (name and email in plaintext; superseded by v3, upcast on read).'),
  e('clients', 'AssistantRegistered', 3, "An assistant joined the agency, with weekly capacity in whole minutes; name and email encrypted under the assistant's key."),
  e('clients', 'PersonErased', 1, "A client contact or an assistant was erased: their key is destroyed, their encrypted values unreadable. No personal data."),
  e('clients', 'AssistantCommitmentReserved', 1, "An assistant's hours were committed to an engagement (capacity and exclusivity checked). [plaintext capacity-override reason; superseded by v2, upcast on read]"),
  e('clients', 'AssistantCommitmentReserved', 2, "An assistant's hours were committed to an engagement; a capacity-override reason encrypted under the engagement's key."),
  e('clients', 'AssistantCommitmentReleased', 1, "An engagement ended and released the assistant's committed hours."),
  e('clients', 'EngagementStarted', 1, 'An assistant started working for a client under a plan.'),
  e('clients', 'EngagementPhaseChanged', 1, 'The trust phase of an engagement changed (promotion or demotion, skips listed). [plaintext reason; superseded by v2, upcast on read]'),
  e('clients', 'EngagementPhaseChanged', 2, "The trust phase changed; the reason encrypted under the engagement's key."),
  e('clients', 'EngagementPlanChanged', 1, 'A new plan applies from a date on; the past is not rewritten.'),
  e('clients', 'EngagementNoticeGiven', 1, 'One side gave notice; the engagement ends on `endsOn`. [plaintext reason; superseded by v2, upcast on read]'),
  e('clients', 'EngagementNoticeGiven', 2, "One side gave notice; the reason encrypted under the engagement's key."),
  e('clients', 'EngagementEnded', 1, 'An engagement ended, at the end of its notice or by a breach. [plaintext reason; superseded by v2, upcast on read]'),
  e('clients', 'EngagementEnded', 2, "An engagement ended; the reason encrypted under the engagement's key."),
  e('clients', 'CommunicationLogged', 1, 'A communication between assistant and client was recorded. [plaintext summary; superseded by v2, upcast on read]'),
  e('clients', 'CommunicationLogged', 2, "A communication was recorded; the summary encrypted under the engagement's key."),
  e('clients', 'ReviewCadenceSet', 1, 'How often an engagement is reviewed.'),
  e('clients', 'EngagementWentSilent', 1, 'No communication, kept appointment or logged time for the agency threshold of working days.'),
  e('clients', 'AgencySettingsChanged', 1, "The agency's zone, notice, buffer, rounding and silence settings."),
  e('clients', 'HandoverPlanned', 1, 'An engagement in notice is handed over to a replacement assistant from a date on (a new engagement starts then).'),
  e('clients', 'HandoverCancelled', 1, 'A planned handover was withdrawn before its day; the replacement engagement ends without having started. [plaintext reason; superseded by v2, upcast on read]'),
  e('clients', 'HandoverCancelled', 2, "A planned handover was withdrawn; the reason encrypted under the engagement's key."),
  e('scheduling', 'AppointmentBooked', 1, "An appointment was booked on an assistant's calendar. [plaintext title; superseded by v2, upcast on read]"),
  e('scheduling', 'AppointmentBooked', 2, "An appointment was booked; its title (when given) encrypted under the engagement's key."),
  e('scheduling', 'AppointmentRescheduled', 1, 'An appointment moved; `late` when inside the minimum notice. [plaintext reason; superseded by v2, upcast on read]'),
  e('scheduling', 'AppointmentRescheduled', 2, "An appointment moved; `late` when inside the minimum notice; the reason encrypted under the engagement's key."),
  e('scheduling', 'AppointmentCancelled', 1, 'An appointment was cancelled; `late` when inside the minimum notice. [plaintext reason; superseded by v2, upcast on read]'),
  e('scheduling', 'AppointmentCancelled', 2, "An appointment was cancelled; `late` when inside the minimum notice; the reason encrypted under the engagement's key."),
  e('scheduling', 'AppointmentKept', 1, 'An appointment took place.'),
  e('scheduling', 'AppointmentNoShow', 1, 'An appointment ended without being marked kept.'),
  e('scheduling', 'HandoverScheduled', 1, "A handover's appointments: moved to the replacement, conflicts left for the agency, the handover meeting."),
  e('scheduling', 'HandoverUnwound', 1, 'A cancelled handover undone: moved appointments restored to the outgoing assistant where possible.'),
  e('timeTracking', 'TimeEntryLogged', 1, 'Time was logged (manually or by a timer), with billed minutes after rounding. [plaintext notes; superseded by v2, upcast on read]'),
  e('timeTracking', 'TimeEntryLogged', 2, "Time was logged, with billed minutes after rounding; the notes encrypted under the engagement's key."),
  e('timeTracking', 'TimeEntryCorrected', 1, 'An open or rejected entry was edited; the values replace the previous ones. [plaintext notes; superseded by v2, upcast on read]'),
  e('timeTracking', 'TimeEntryCorrected', 2, "An open or rejected entry was edited; the notes encrypted under the engagement's key."),
  e('timeTracking', 'TimeEntryAdjusted', 1, 'An adjusting entry for approved time (differences, may be negative). [plaintext notes and reason; superseded by v2, upcast on read]'),
  e('timeTracking', 'TimeEntryAdjusted', 2, "An adjusting entry for approved time; the notes and reason encrypted under the engagement's key."),
  e('timeTracking', 'TimesheetSubmitted', 1, "An assistant submitted a week's entries of one engagement."),
  e('timeTracking', 'TimesheetApproved', 1, 'A week was approved; the approved entries are listed and locked.'),
  e('timeTracking', 'TimesheetRejected', 1, 'A week was rejected with a reason; its entries can be corrected. [plaintext reason; superseded by v2, upcast on read]'),
  e('timeTracking', 'TimesheetRejected', 2, "A week was rejected; the reason encrypted under the engagement's key."),
  e('timeTracking', 'RetainerUsageWarning', 1, "A retainer's month passed 80 % or 100 % of its included hours."),
  e('billing', 'InvoiceDrafted', 1, 'A billing run drafted (or redrafted) the invoice of a client and month.'),
  e('billing', 'InvoiceIssued', 1, 'An invoice was issued with a gap-free number.'),
  e('billing', 'InvoicePaid', 1, 'An issued invoice was paid.'),
  e('billing', 'InvoiceVoided', 1, 'An invoice was voided; it is never edited. [plaintext reason; superseded by v2, upcast on read]'),
  e('billing', 'InvoiceVoided', 2, "An invoice was voided; the reason encrypted under the client's key."),
  e('billing', 'CreditNoteIssued', 1, 'A credit note was issued against an invoice. [plaintext reason; superseded by v2, upcast on read]'),
  e('billing', 'CreditNoteIssued', 2, "A credit note was issued against an invoice; the reason encrypted under the client's key."),
  e('billing', 'PayoutComputed', 1, "A billing run computed an assistant's payout for the month."),
];

/** The newest schema version of every public event type: what producers publish. */
export const LatestSchemaVersion: Readonly<Record<string, number>> = EventCatalog.reduce<Record<string, number>>((acc, c) => {
  acc[c.type] = Math.max(acc[c.type] ?? 0, c.schemaVersion);
  return acc;
}, {});

export const catalogEntry = (type: string, schemaVersion: number): CatalogEntry | undefined =>
  EventCatalog.find((c) => c.type === type && c.schemaVersion === schemaVersion);

/** File of an event version's JSON Schema, relative to libs/contracts/schemas. */
export const schemaFileName = (c: Pick<CatalogEntry, 'service' | 'type' | 'schemaVersion'>): string =>
  `${c.service === 'timeTracking' ? 'time-tracking' : c.service}/${c.type}.v${c.schemaVersion}.schema.json`;
