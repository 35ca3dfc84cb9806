import { versionFor, type EventEnvelope } from '@vaops/contracts';
import { integrationEnvelope, type StoredEvent } from '@vaops/event-sourcing';
import type { CalendarEvent } from './calendar/calendar';
import type { HandoverEvent } from './handover/handover';
import type { SchedulingPolicyEvent } from './policy/scheduling-policy';

type SchedulingDomainEvent = CalendarEvent | SchedulingPolicyEvent | HandoverEvent;

/**
 * The one place where the scheduling service's domain events become public contracts (libs/contracts,
 * documented in docs/events.md). Whatever is not mapped here stays private and is never published.
 */
export function toIntegrationEvent(stored: StoredEvent): EventEnvelope | null {
  const event = { type: stored.type, data: stored.data } as SchedulingDomainEvent;
  const envelope = (data: object): EventEnvelope => integrationEnvelope(stored, data);
  switch (event.type) {
    // the title and reasons encrypted under the engagement's key: v2; plaintext stored before: v1
    case 'AppointmentBooked':
      return integrationEnvelope(stored, { ...event.data }, versionFor(1, event.data.title));
    case 'AppointmentRescheduled':
    case 'AppointmentCancelled':
      return integrationEnvelope(stored, { ...event.data }, versionFor(1, event.data.reason));
    case 'AppointmentKept':
    case 'AppointmentNoShow':
    case 'HandoverScheduled':
    case 'HandoverUnwound':
      // the domain event is the contract, field for field
      return envelope({ ...event.data });
    case 'SchedulingPolicySet':
      return null;
    default: {
      const _exhaustive: never = event;
      return null;
    }
  }
}
