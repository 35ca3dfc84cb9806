import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@vaops/contracts';
import { PlatformModule, eventSourcedServiceProviders, type AppConfig } from '@vaops/platform';
import { toIntegrationEvent } from './integration-events';
import { TimeTrackingEventHandlers } from './projections';
import { ENTRY_INDEX } from './timelog/context';
import { EntriesController } from './timelog/entries/entries.http.controller';
import { LogTimeController } from './timelog/log-time/log-time.http.controller';
import { RetainerController } from './timelog/retainer/retainer.http.controller';
import { TimersController } from './timelog/timers/timers.http.controller';
import { TimesheetsController } from './timelog/timesheets/timesheets.http.controller';
import { Timelogs } from './timelog/timelogs';

@Module({})
export class TimeTrackingAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: TimeTrackingAppModule,
      imports: [PlatformModule.forRoot({ config }), TimeTrackingEventHandlers],
      controllers: [LogTimeController, EntriesController, TimersController, TimesheetsController, RetainerController],
      providers: [
        ...eventSourcedServiceProviders({
          config,
          topic: Topics.timeTracking,
          map: toIntegrationEvent,
          afterStart: async (runtime) => {
            await runtime.db.collection(ENTRY_INDEX).createIndex({ agencyId: 1 });
          },
        }),
        Timelogs,
      ],
    };
  }
}
