import { Module } from '@nestjs/common';
import { projectionsOf, type PersonKeys } from '@vaops/platform';
import type { ProjectionDefinition } from '@vaops/projections';
import { ApprovedTimeProjection } from './facts/approved-time.projection';
import { billingFacts } from './facts/clients-facts.projection';
import { InvoiceLifecycleProjection, InvoicesProjection } from './invoicing/invoices.projection';

/**
 * Every event handler of the billing service (its read models): served by ProjectionTransport in the
 * service, rebuilt by `npm run rebuild`.
 */
@Module({ imports: [billingFacts.module], controllers: [ApprovedTimeProjection, InvoicesProjection, InvoiceLifecycleProjection] })
export class BillingEventHandlers {}

/** The projections the handlers make (the e2e idempotency and scale-out checks use them). */
export const billingProjections = (topicPrefix = '', keys?: PersonKeys): Promise<ProjectionDefinition[]> => projectionsOf(BillingEventHandlers, topicPrefix, keys);
