import { Injectable } from '@nestjs/common';
import { aggregateFor } from '@vaops/platform';
import { calendarStreamId } from './calendar';
import { calendarDecider } from './calendar.decider';

/** The assistants' calendars (`calendar-<assistantId>`, every appointment of an assistant), by assistant id. */
@Injectable()
export class Calendars extends aggregateFor(calendarDecider, calendarStreamId) {}
