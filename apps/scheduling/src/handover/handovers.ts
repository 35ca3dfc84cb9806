import { Injectable } from '@nestjs/common';
import { aggregateFor } from '@vaops/platform';
import { handoverStreamId } from './handover';
import { handoverDecider } from './handover.decider';

/** The scheduling service's record of each handover (`handover-<newEngagementId>`). */
@Injectable()
export class Handovers extends aggregateFor(handoverDecider, handoverStreamId) {}
