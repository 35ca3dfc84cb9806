import type { ProjectionDefinition } from '@vaops/projections';
import { assistantRosterProjection } from './assistant/assistant-roster/assistant-roster.projection';
import { clientDirectoryProjection } from './client/client-directory/client-directory.projection';
import { engagementDetailsProjection } from './engagement/engagement-details/engagement-details.projection';

/** Every read model of the clients service: run live by the service, rebuilt by `npm run rebuild`. */
export const clientsProjections = (topicPrefix = ''): ProjectionDefinition[] => [
  clientDirectoryProjection(topicPrefix),
  assistantRosterProjection(topicPrefix),
  engagementDetailsProjection(topicPrefix),
];
