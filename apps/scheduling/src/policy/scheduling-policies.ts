import { Injectable } from '@nestjs/common';
import { aggregateFor } from '@vaops/platform';
import { schedulingPolicyDecider, schedulingPolicyStreamId } from './scheduling-policy';

/** The engagements' scheduling policies, by engagement id. */
@Injectable()
export class SchedulingPolicies extends aggregateFor(schedulingPolicyDecider, schedulingPolicyStreamId) {}
