import type { ProjectionDefinition } from '@vaops/projections';
import { clientsFactsProjection } from './facts/clients-facts.projection';
import { entriesProjection } from './timelog/entries/entries.projection';

/** Every read model of the time-tracking service: run live by the service, rebuilt by `npm run rebuild`. */
export const timeTrackingProjections = (topicPrefix = ''): ProjectionDefinition[] => [clientsFactsProjection(topicPrefix), entriesProjection(topicPrefix)];
