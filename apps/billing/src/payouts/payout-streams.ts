import { Injectable } from '@nestjs/common';
import { aggregateFor } from '@vaops/platform';
import { payoutStreamId } from './payout';
import { payoutDecider } from './payout.decider';

/** An assistant's payout for a period, one stream per agency, assistant and period. */
@Injectable()
export class Payouts extends aggregateFor(payoutDecider, (k: { agencyId: string; assistantId: string; period: string }) => payoutStreamId(k.agencyId, k.assistantId, k.period)) {}
