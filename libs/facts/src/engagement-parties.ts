/**
 * A read-model document about something of one engagement (an appointment, an entry's week, approved
 * time, a history): the stream version it last applied and the engagement's parties, as every service
 * that keeps one writes them.
 */
export interface EngagementPartiesDoc {
  _id: string;
  /** Version of the source stream last applied (applyIfNewer): a redelivered event changes nothing. */
  _v: number;
  agencyId: string;
  engagementId: string;
  assistantId: string;
  clientId: string;
}
