import { Module } from '@nestjs/common';
import { projectionsOf, type PersonKeys } from '@vaops/platform';
import type { ProjectionDefinition } from '@vaops/projections';
import { AppointmentsProjection } from './facts/appointments.projection';
import { analyticsFacts } from './facts/clients-facts.projection';
import { InvoiceLifecycleProjection, InvoicesProjection } from './facts/invoices.projection';
import { TimeProjection } from './facts/time.projection';

/**
 * Every event handler of the analytics service, one read model per topic it reads: served by
 * ProjectionTransport in the service, rebuilt by `npm run rebuild -- analytics`. Figures that need
 * several topics (revenue and cost, utilization) are joined when read, so no handler depends on the order
 * of two topics.
 */
@Module({ imports: [analyticsFacts.module], controllers: [TimeProjection, InvoicesProjection, InvoiceLifecycleProjection, AppointmentsProjection] })
export class AnalyticsEventHandlers {}

/** The projections the handlers make (the e2e idempotency check replays them; `keys` seals the plaintext of v1 events). */
export const analyticsProjections = (topicPrefix = '', keys?: PersonKeys): Promise<ProjectionDefinition[]> => projectionsOf(AnalyticsEventHandlers, topicPrefix, keys);
