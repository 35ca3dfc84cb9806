import { Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ManualClock, systemClock } from '@vaops/event-sourcing';
import { CLOCK } from '@vaops/platform';
import { ServicesApi } from './api';
import { ConsoleCalendar } from './calendar';
import type { ConsoleConfig } from './config';
import { LiveFeed } from './live/live-feed';
import { LiveHub } from './live/live-hub';
import { LiveController } from './live/live.controller';
import { OidcSignIn } from './oidc/oidc-sign-in';
import { ProviderSessionMiddleware } from './oidc/provider-session.middleware';
import { AppointmentsController } from './pages/appointments.controller';
import { AssetsController } from './pages/assets.controller';
import { AlertsController } from './pages/alerts.controller';
import { ClientsController } from './pages/clients.controller';
import { MatchesPageController } from './pages/matches.controller';
import { EngagementsController } from './pages/engagements.controller';
import { HealthController } from './pages/health.controller';
import { InvoicesController } from './pages/invoices.controller';
import { MyTimeController } from './pages/my-time.controller';
import { SignInController } from './pages/sign-in.controller';
import { TeamController } from './pages/team.controller';
import { ConsoleTestClockController } from './pages/test-clock.controller';
import { TimesheetsController } from './pages/timesheets.controller';
import { TodayController } from './pages/today.controller';
import { CONSOLE_CONFIG } from './tokens';

/** The agency console: HTML pages rendered from the five services' public APIs (a backend for the browser). */
@Module({})
export class ConsoleModule implements NestModule {
  static forRoot(config: ConsoleConfig): DynamicModule {
    return {
      module: ConsoleModule,
      controllers: [HealthController, AssetsController, SignInController, TodayController, TimesheetsController, MyTimeController, InvoicesController, AlertsController, TeamController, MatchesPageController, ClientsController, EngagementsController, AppointmentsController, LiveController, ...(config.testClock ? [ConsoleTestClockController] : [])],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: config },
        { provide: ServicesApi, useFactory: () => new ServicesApi(config) },
        // the time pages show "today" and "this week" by: a clock tests set under VAOPS_TEST_CLOCK=1, as in the services
        { provide: CLOCK, useFactory: () => (config.testClock ? new ManualClock() : systemClock) },
        ConsoleCalendar,
        // sign-in with the agency's identity provider, and its sessions verified before every page
        { provide: OidcSignIn, useFactory: () => new OidcSignIn(config) },
        // live updates: the event stream (one consumer per process) and the open `GET /live` streams
        LiveFeed,
        LiveHub,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ProviderSessionMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
