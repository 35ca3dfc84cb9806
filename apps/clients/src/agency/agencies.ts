import { Injectable } from '@nestjs/common';
import { aggregateFor } from '@vaops/platform';
import { agencyDecider, agencyStreamId } from './agency';

/** The agency streams (`agency-<id>`, its settings). */
@Injectable()
export class Agencies extends aggregateFor(agencyDecider, agencyStreamId) {}
