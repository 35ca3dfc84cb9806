import { Module } from '@nestjs/common';
import { projectionsOf, type PersonKeys } from '@vaops/platform';
import type { ProjectionDefinition } from '@vaops/projections';
import { timeTrackingFacts } from './facts/clients-facts.projection';
import { EntriesProjection } from './timelog/entries/entries.projection';
import { TimesheetHistoryProjection } from './timelog/timesheet-history/timesheet-history.projection';

/**
 * Every event handler of the time-tracking service (its read models): served by ProjectionTransport in
 * the service, rebuilt by `npm run rebuild`.
 */
@Module({ imports: [timeTrackingFacts.module], controllers: [EntriesProjection, TimesheetHistoryProjection] })
export class TimeTrackingEventHandlers {}

/** The projections the handlers make (the e2e idempotency check replays them; `keys` seals the plaintext of v1 events). */
export const timeTrackingProjections = (topicPrefix = '', keys?: PersonKeys): Promise<ProjectionDefinition[]> => projectionsOf(TimeTrackingEventHandlers, topicPrefix, keys);
