import { Inject, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Topics } from '@vaops/contracts';
import type { Clock } from '@vaops/event-sourcing';
import { CLOCK, EventSourcedRuntime, HEALTH_CHECKS, JsonLogger, Metrics, PlatformModule, type AppConfig } from '@vaops/platform';
import { AssistantRosterController } from './assistant/assistant-roster/assistant-roster.http.controller';
import { RegisterAssistantController } from './assistant/register-assistant/register-assistant.http.controller';
import { ClientDirectoryController } from './client/client-directory/client-directory.http.controller';
import { RegisterClientController } from './client/register-client/register-client.http.controller';
import { AgencySettingsController } from './agency/agency-settings.http.controller';
import { DutyCatalogController } from './duty-catalog/duty-catalog.http.controller';
import { EngagementDetailsController } from './engagement/engagement-details/engagement-details.http.controller';
import { EngagementLifecycleController } from './engagement/engagement-lifecycle/engagement-lifecycle.http.controller';
import { EngagementScheduler } from './engagement/scheduler/engagement-scheduler';
import { StartEngagementController } from './engagement/start-engagement/start-engagement.http.controller';
import { toIntegrationEvent } from './integration-events';
import { clientsProjections } from './projections';
import { RUNTIME, topicPrefix } from './runtime';

class RuntimeLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(RUNTIME) private readonly runtime: EventSourcedRuntime) {}
  async onModuleInit(): Promise<void> {
    await this.runtime.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}

@Module({})
export class ClientsAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ClientsAppModule,
      imports: [PlatformModule.forRoot({ config })],
      controllers: [
        RegisterClientController,
        ClientDirectoryController,
        RegisterAssistantController,
        AssistantRosterController,
        StartEngagementController,
        EngagementDetailsController,
        EngagementLifecycleController,
        AgencySettingsController,
        DutyCatalogController,
      ],
      providers: [
        {
          provide: RUNTIME,
          inject: [Metrics, JsonLogger, CLOCK],
          useFactory: (metrics: Metrics, logger: JsonLogger, clock: Clock) =>
            new EventSourcedRuntime({
              config,
              metrics,
              logger,
              clock,
              topic: `${topicPrefix()}${Topics.clients}`,
              map: toIntegrationEvent,
              projections: clientsProjections(topicPrefix()),
              partitions: Number(process.env.VAOPS_TOPIC_PARTITIONS ?? 3),
              groupPrefix: topicPrefix(),
            }),
        },
        RuntimeLifecycle,
        EngagementScheduler,
        { provide: HEALTH_CHECKS, inject: [RUNTIME], useFactory: (rt: EventSourcedRuntime) => rt.healthChecks() },
      ],
    };
  }
}
