import { Injectable } from '@nestjs/common';
import { aggregateFor } from '@vaops/platform';
import { agencyStreamId } from './agency';
import { agencyDecider } from './agency.decider';

/** The agency streams (`agency-<id>`, its settings). */
@Injectable()
export class Agencies extends aggregateFor(agencyDecider, agencyStreamId) {}
