import { versionFor, type EventEnvelope } from '@vaops/contracts';
import { integrationEnvelope, type StoredEvent } from '@vaops/event-sourcing';
import type { TimelogEvent } from './timelog/timelog';

/**
 * The one place where the time-tracking service's domain events become public contracts (libs/contracts,
 * documented in docs/events.md). Whatever is not mapped here stays private and is never published.
 */
export function toIntegrationEvent(stored: StoredEvent): EventEnvelope | null {
  const event = { type: stored.type, data: stored.data } as TimelogEvent;
  switch (event.type) {
    // the engagement's free text (notes, reasons) encrypted under its key: v2
    case 'TimeEntryLogged':
    case 'TimeEntryCorrected':
      return integrationEnvelope(stored, { ...event.data }, versionFor(1, event.data.notes));
    case 'TimeEntryAdjusted':
      return integrationEnvelope(stored, { ...event.data }, versionFor(1, event.data.notes, event.data.reason));
    case 'TimesheetRejected':
      return integrationEnvelope(stored, { ...event.data }, versionFor(1, event.data.reason));
    case 'TimesheetSubmitted':
    case 'TimesheetApproved':
    case 'RetainerUsageWarning':
      // the domain event is the contract, field for field
      return integrationEnvelope(stored, { ...event.data });
    case 'TimerStarted':
    case 'TimerStopped':
      return null;
    default: {
      const _exhaustive: never = event;
      return null;
    }
  }
}
