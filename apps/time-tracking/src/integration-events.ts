import type { EventEnvelope } from '@vaops/contracts';
import { integrationEnvelope, type StoredEvent } from '@vaops/event-sourcing';
import type { TimelogEvent } from './timelog/timelog';

/**
 * The one place where the time-tracking service's domain events become public contracts (libs/contracts,
 * documented in docs/events.md). Whatever is not mapped here stays private and is never published.
 */
export function toIntegrationEvent(stored: StoredEvent): EventEnvelope | null {
  const event = { type: stored.type, data: stored.data } as TimelogEvent;
  switch (event.type) {
    case 'TimeEntryLogged':
    case 'TimeEntryCorrected':
    case 'TimeEntryAdjusted':
    case 'TimesheetSubmitted':
    case 'TimesheetApproved':
    case 'TimesheetRejected':
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
