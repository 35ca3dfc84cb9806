import type { ProjectionDefinition } from '@vaops/projections';
import { appointmentsProjection } from './calendar/appointments/appointments.projection';
import { clientsFactsProjection } from './facts/clients-facts.projection';

/** Every read model of the scheduling service: run live by the service, rebuilt by `npm run rebuild`. */
export const schedulingProjections = (topicPrefix = ''): ProjectionDefinition[] => [clientsFactsProjection(topicPrefix), appointmentsProjection(topicPrefix)];
