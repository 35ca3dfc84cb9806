import { Injectable } from '@nestjs/common';
import { aggregateFor } from '@vaops/platform';
import { schedulingPolicyStreamId } from './scheduling-policy';
import { schedulingPolicyDecider } from './scheduling-policy.decider';

/** The engagements' scheduling policies, by engagement id. */
@Injectable()
export class SchedulingPolicies extends aggregateFor(schedulingPolicyDecider, schedulingPolicyStreamId) {}
