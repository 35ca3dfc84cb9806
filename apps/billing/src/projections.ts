import type { ProjectionDefinition } from '@vaops/projections';
import { approvedTimeProjection } from './facts/approved-time.projection';
import { clientsFactsProjection } from './facts/clients-facts.projection';
import { invoicesProjection } from './invoicing/invoices.projection';

/** Every read model of the billing service: run live by the service, rebuilt by `npm run rebuild`. */
export const billingProjections = (topicPrefix = ''): ProjectionDefinition[] => [clientsFactsProjection(topicPrefix), approvedTimeProjection(topicPrefix), invoicesProjection(topicPrefix)];
