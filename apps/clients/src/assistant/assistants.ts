import { Injectable } from '@nestjs/common';
import { aggregateFor } from '@vaops/platform';
import { assistantStreamId } from './assistant';
import { assistantDecider } from './assistant.decider';

/** The assistant streams (`assistant-<id>`, with the assistant's commitments). */
@Injectable()
export class Assistants extends aggregateFor(assistantDecider, assistantStreamId) {}
