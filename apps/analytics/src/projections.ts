import type { ProjectionDefinition } from '@vaops/projections';
import { appointmentsProjection } from './facts/appointments.projection';
import { clientsFactsProjection } from './facts/clients-facts.projection';
import { invoicesProjection } from './facts/invoices.projection';
import { timeProjection } from './facts/time.projection';

/**
 * Every read model of the analytics service, one per topic it reads: run live by the service, rebuilt
 * by `npm run rebuild -- analytics`. Figures that need several topics (revenue and cost, utilization)
 * are joined when read, so no handler depends on the order of two topics.
 */
export const analyticsProjections = (topicPrefix = ''): ProjectionDefinition[] => [
  clientsFactsProjection(topicPrefix),
  timeProjection(topicPrefix),
  invoicesProjection(topicPrefix),
  appointmentsProjection(topicPrefix),
];
