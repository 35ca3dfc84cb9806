import { Injectable } from '@nestjs/common';
import { aggregateFor } from '@vaops/platform';
import { timelogStreamId } from './timelog';
import { timelogDecider } from './timelog.decider';

/** The assistants' timelogs (`timelog-<assistantId>`: entries, timers, timesheets), by assistant id. */
@Injectable()
export class Timelogs extends aggregateFor(timelogDecider, timelogStreamId) {}
