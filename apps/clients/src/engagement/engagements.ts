import { Injectable } from '@nestjs/common';
import { aggregateFor } from '@vaops/platform';
import { engagementStreamId } from './engagement';
import { engagementDecider } from './engagement.decider';

/** The engagement streams (`engagement-<id>`). */
@Injectable()
export class Engagements extends aggregateFor(engagementDecider, engagementStreamId) {}
