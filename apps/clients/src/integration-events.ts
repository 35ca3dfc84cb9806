import { versionFor, type EventEnvelope } from '@vaops/contracts';
import { integrationEnvelope, type StoredEvent } from '@vaops/event-sourcing';
import type { AgencyEvent } from './agency/agency';
import type { AssistantEvent } from './assistant/assistant';
import type { ClientEvent } from './client/client';
import type { EngagementEvent } from './engagement/engagement';

type ClientsDomainEvent = ClientEvent | AssistantEvent | EngagementEvent | AgencyEvent;

/**
 * The one place where the clients service's domain events become public contracts (libs/contracts,
 * documented in docs/events.md). Whatever is not mapped here stays private and is never published.
 */
export function toIntegrationEvent(stored: StoredEvent): EventEnvelope | null {
  const event = { type: stored.type, data: stored.data } as ClientsDomainEvent;
  const envelope = (data: object): EventEnvelope => integrationEnvelope(stored, data);
  switch (event.type) {
    case 'ClientRegistered': {
      // published as v2, name and email encrypted under the client's key; a registration stored before (plaintext) as v1
      const { clientId, name, email, timezone, currency } = event.data;
      return integrationEnvelope(stored, { clientId, name, email, timezone, currency }, typeof name === 'string' ? 1 : 2);
    }
    case 'AssistantRegistered': {
      // published as v3: capacity in whole minutes, name and email encrypted under the assistant's key; v1 and v2 in the log are upcast on read
      const { assistantId, name, email, timezone, weeklyCapacityHours, skills, payRate, workingHours } = event.data;
      const weeklyCapacityMinutes = Math.round(weeklyCapacityHours * 60);
      return integrationEnvelope(stored, { assistantId, name, email, timezone, weeklyCapacityMinutes, skills, payRate, workingHours }, typeof name === 'string' ? 2 : 3);
    }
    case 'AssistantCommitmentReserved': {
      // `start` is private: it only lets this service roll a crashed creation forward
      const { assistantId, engagementId, clientId, kind, weeklyHours, capacityOverride } = event.data;
      // published as v2, a capacity-override reason encrypted under the engagement's key; a plaintext one stored before: v1
      return integrationEnvelope(stored, { assistantId, engagementId, clientId, kind, weeklyHours, capacityOverride }, versionFor(1, capacityOverride?.reason ?? null));
    }
    // free text encrypted under the engagement's key: v2; plaintext stored before: v1
    case 'EngagementPhaseChanged':
    case 'EngagementNoticeGiven':
    case 'EngagementEnded':
    case 'HandoverCancelled':
      return integrationEnvelope(stored, { ...event.data }, versionFor(1, event.data.reason));
    case 'CommunicationLogged':
      return integrationEnvelope(stored, { ...event.data }, versionFor(1, event.data.summary));
    case 'PersonErased': // no personal data: ids, kind and instant
    case 'AssistantCommitmentReleased':
    case 'EngagementStarted':
    case 'EngagementPlanChanged':
    case 'ReviewCadenceSet':
    case 'EngagementWentSilent':
    case 'AgencySettingsChanged':
    case 'HandoverPlanned':
      // the domain event is the contract, field for field
      return envelope({ ...event.data });
    default: {
      const _exhaustive: never = event;
      return null;
    }
  }
}
