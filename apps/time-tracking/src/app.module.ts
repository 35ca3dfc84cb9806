import { Topics } from '@vaops/contracts';
import { serviceModule } from '@vaops/platform';
import { toIntegrationEvent } from './integration-events';
import { TimeTrackingFacts } from './facts/clients-facts.projection';
import { TimeTrackingEventHandlers } from './projections';
import { EntriesController } from './timelog/entries/entries.http.controller';
import { TimeEntries, Timesheets } from './timelog/entries/entries.projection';
import { EntryIndex } from './timelog/entry-index';
import { LogTimeController } from './timelog/log-time/log-time.http.controller';
import { RetainerController, RetainersController } from './timelog/retainer/retainer.http.controller';
import { TimersController } from './timelog/timers/timers.http.controller';
import { TimesheetsController } from './timelog/timesheets/timesheets.http.controller';
import { TimesheetHistoryController } from './timelog/timesheet-history/timesheet-history.http.controller';
import { TimesheetHistory } from './timelog/timesheet-history/timesheet-history.projection';
import { Timelogs } from './timelog/timelogs';

export const timeTrackingAppModule = serviceModule({
  runtime: { topic: Topics.timeTracking, map: toIntegrationEvent },
  handlers: TimeTrackingEventHandlers,
  controllers: [LogTimeController, EntriesController, TimersController, TimesheetsController, TimesheetHistoryController, RetainerController, RetainersController],
  aggregates: [Timelogs],
  readModels: [TimeEntries, Timesheets, TimesheetHistory, TimeTrackingFacts],
  indexes: [EntryIndex],
});
