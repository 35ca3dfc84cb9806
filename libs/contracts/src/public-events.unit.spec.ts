import { LatestSchemaVersion } from './catalog';
import type { PublicEventType } from './public-events';

describe('PublicEventData', () => {
  it('names every event type of the catalog, and only those', () => {
    // a type missing from the map fails to compile here; a type the catalog lacks fails the expectation
    const listed: Record<PublicEventType, true> = {
      ClientRegistered: true, AssistantRegistered: true, PersonErased: true, AssistantCommitmentReserved: true, AssistantCommitmentReleased: true,
      EngagementStarted: true, EngagementPhaseChanged: true, EngagementPlanChanged: true, EngagementNoticeGiven: true,
      EngagementEnded: true, CommunicationLogged: true, ReviewCadenceSet: true, EngagementWentSilent: true, AgencySettingsChanged: true,
      HandoverPlanned: true, HandoverCancelled: true, HandoverScheduled: true, HandoverUnwound: true,
      AppointmentBooked: true, AppointmentRescheduled: true, AppointmentCancelled: true, AppointmentKept: true, AppointmentNoShow: true,
      TimeEntryLogged: true, TimeEntryCorrected: true, TimeEntryAdjusted: true, TimesheetSubmitted: true, TimesheetApproved: true,
      TimesheetRejected: true, RetainerUsageWarning: true, InvoiceDrafted: true, InvoiceIssued: true, InvoicePaid: true,
      InvoiceVoided: true, CreditNoteIssued: true, PayoutComputed: true,
    };
    expect(Object.keys(listed).sort()).toEqual(Object.keys(LatestSchemaVersion).sort());
  });
});
