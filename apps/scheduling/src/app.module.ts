import { Topics } from '@vaops/contracts';
import { serviceModule } from '@vaops/platform';
import { AgendaController } from './calendar/agenda/agenda.http.controller';
import { AppointmentIndex } from './calendar/appointment-index';
import { AppointmentHistoryController } from './calendar/appointment-history/appointment-history.http.controller';
import { AppointmentHistory } from './calendar/appointment-history/appointment-history.projection';
import { Appointments } from './calendar/appointments/appointments.projection';
import { BookAppointmentController } from './calendar/book-appointment/book-appointment.http.controller';
import { ChangeAppointmentController } from './calendar/change-appointment/change-appointment.http.controller';
import { ReliabilityController } from './calendar/reliability/reliability.http.controller';
import { Calendars } from './calendar/calendars';
import { CalendarScheduler } from './calendar/scheduler/calendar-scheduler';
import { SweptEngagements } from './calendar/scheduler/swept-engagements';
import { HandoverProcess } from './handover/handover.process';
import { Handovers } from './handover/handovers';
import { SchedulingFacts } from './facts/clients-facts.projection';
import { toIntegrationEvent } from './integration-events';
import { SchedulingPolicies } from './policy/scheduling-policies';
import { SchedulingPolicyController } from './policy/scheduling-policy.http.controller';
import { SchedulingEventHandlers } from './projections';

export const schedulingAppModule = serviceModule({
  runtime: { topic: Topics.scheduling, map: toIntegrationEvent },
  handlers: SchedulingEventHandlers,
  controllers: [BookAppointmentController, ChangeAppointmentController, AppointmentHistoryController, AgendaController, ReliabilityController, SchedulingPolicyController, HandoverProcess],
  aggregates: [Calendars, Handovers, SchedulingPolicies],
  readModels: [Appointments, AppointmentHistory, SchedulingFacts],
  indexes: [AppointmentIndex, SweptEngagements],
  processes: [CalendarScheduler],
});
