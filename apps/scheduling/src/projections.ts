import { Module } from '@nestjs/common';
import { projectionsOf, type PersonKeys } from '@vaops/platform';
import type { ProjectionDefinition } from '@vaops/projections';
import { AppointmentHistoryProjection } from './calendar/appointment-history/appointment-history.projection';
import { AppointmentsProjection } from './calendar/appointments/appointments.projection';
import { schedulingFacts } from './facts/clients-facts.projection';

/**
 * Every event handler of the scheduling service (its read models): served by ProjectionTransport in the
 * service, rebuilt by `npm run rebuild`.
 */
@Module({ imports: [schedulingFacts.module], controllers: [AppointmentsProjection, AppointmentHistoryProjection] })
export class SchedulingEventHandlers {}

/** The projections the handlers make (the e2e idempotency check replays them; `keys` seals the plaintext of v1 events). */
export const schedulingProjections = (topicPrefix = '', keys?: PersonKeys): Promise<ProjectionDefinition[]> => projectionsOf(SchedulingEventHandlers, topicPrefix, keys);
