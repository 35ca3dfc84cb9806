import { Module } from '@nestjs/common';
import { projectionsOf, type PersonKeys } from '@vaops/platform';
import type { ProjectionDefinition } from '@vaops/projections';
import { AssistantReliabilityProjection } from './assistant/assistant-reliability/assistant-reliability.projection';
import { AssistantRosterProjection } from './assistant/assistant-roster/assistant-roster.projection';
import { ClientDirectoryProjection } from './client/client-directory/client-directory.projection';
import { EngagementDetailsProjection } from './engagement/engagement-details/engagement-details.projection';
import { HandoverPlansProjection } from './engagement/handover/handover-plans.projection';

/**
 * Every event handler of the clients service (its read models): served by ProjectionTransport in the
 * service, rebuilt by `npm run rebuild`.
 */
@Module({ controllers: [ClientDirectoryProjection, AssistantRosterProjection, EngagementDetailsProjection, AssistantReliabilityProjection, HandoverPlansProjection] })
export class ClientsEventHandlers {}

/** The projections the handlers make (the e2e idempotency check replays them; `keys` seals the plaintext of v1 events). */
export const clientsProjections = (topicPrefix = '', keys?: PersonKeys): Promise<ProjectionDefinition[]> => projectionsOf(ClientsEventHandlers, topicPrefix, keys);
