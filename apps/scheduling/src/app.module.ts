import { Inject, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Topics } from '@vaops/contracts';
import type { Clock } from '@vaops/event-sourcing';
import { CLOCK, EventSourcedRuntime, HEALTH_CHECKS, JsonLogger, Metrics, PlatformModule, type AppConfig } from '@vaops/platform';
import { AgendaController } from './calendar/agenda/agenda.http.controller';
import { APPOINTMENT_INDEX } from './calendar/appointment-index';
import { BookAppointmentController } from './calendar/book-appointment/book-appointment.http.controller';
import { ChangeAppointmentController } from './calendar/change-appointment/change-appointment.http.controller';
import { ReliabilityController } from './calendar/reliability/reliability.http.controller';
import { CalendarScheduler } from './calendar/scheduler/calendar-scheduler';
import { toIntegrationEvent } from './integration-events';
import { SchedulingPolicyController } from './policy/scheduling-policy.http.controller';
import { schedulingProjections } from './projections';
import { RUNTIME, topicPrefix } from './runtime';

class RuntimeLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(RUNTIME) private readonly runtime: EventSourcedRuntime) {}
  async onModuleInit(): Promise<void> {
    await this.runtime.start();
    await this.runtime.db.collection(APPOINTMENT_INDEX).createIndex({ agencyId: 1 });
  }
  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}

@Module({})
export class SchedulingAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SchedulingAppModule,
      imports: [PlatformModule.forRoot({ config })],
      controllers: [BookAppointmentController, ChangeAppointmentController, AgendaController, ReliabilityController, SchedulingPolicyController],
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
              topic: `${topicPrefix()}${Topics.scheduling}`,
              map: toIntegrationEvent,
              projections: schedulingProjections(topicPrefix()),
              partitions: Number(process.env.VAOPS_TOPIC_PARTITIONS ?? 3),
              groupPrefix: topicPrefix(),
            }),
        },
        RuntimeLifecycle,
        CalendarScheduler,
        { provide: HEALTH_CHECKS, inject: [RUNTIME], useFactory: (rt: EventSourcedRuntime) => rt.healthChecks() },
      ],
    };
  }
}
