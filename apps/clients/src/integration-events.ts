import type { EventEnvelope } from '@vaops/contracts';
import type { StoredEvent } from '@vaops/event-sourcing';
import type { AssistantEvent } from './assistant/assistant';
import type { ClientEvent } from './client/client';

type ClientsDomainEvent = ClientEvent | AssistantEvent;

/**
 * The one place where the clients service's domain events become public contracts (libs/contracts,
 * documented in docs/events.md). A domain event that is not mapped here is private and never published.
 */
export function toIntegrationEvent(stored: StoredEvent): EventEnvelope | null {
  const event = { type: stored.type, data: stored.data } as ClientsDomainEvent;
  const envelope = (type: string, data: object): EventEnvelope => ({
    eventId: stored.eventId,
    type,
    schemaVersion: 1,
    streamId: stored.streamId,
    version: stored.version,
    position: stored.position,
    metadata: stored.metadata,
    data,
  });
  switch (event.type) {
    case 'ClientRegistered': {
      const { clientId, name, email, timezone, currency } = event.data;
      return envelope('ClientRegistered', { clientId, name, email, timezone, currency });
    }
    case 'AssistantRegistered': {
      const { assistantId, name, email, timezone, weeklyCapacityHours, skills, payRate, workingHours } = event.data;
      return envelope('AssistantRegistered', { assistantId, name, email, timezone, weeklyCapacityHours, skills, payRate, workingHours });
    }
    default: {
      const _exhaustive: never = event;
      return null;
    }
  }
}
