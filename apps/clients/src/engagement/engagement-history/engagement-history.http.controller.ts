import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ERASED_NAME } from '@vaops/contracts';
import { fold } from '@vaops/event-sourcing';
import { CurrentPrincipal, PersonKeys, ResourceErrors, type HistoryItem, type Principal } from '@vaops/platform';
import type { EngagementEvent } from '../engagement';
import { engagementDecider } from '../engagement.decider';
import { Engagements } from '../engagements';
import { engagementHistory, visibleTo } from './engagement-history';

/**
 * Every change of an engagement, read from its stream (one stream per engagement): what, who, when,
 * why and the command's correlation id, scoped as `GET /engagements/:id`.
 */
@ApiTags('engagements')
@Controller('engagements/:id')
export class EngagementHistoryController {
  constructor(
    private readonly engagements: Engagements,
    private readonly keys: PersonKeys,
  ) {}

  @Get('history')
  async history(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<{ items: HistoryItem[] }> {
    const events = await this.engagements.history(id, p.agencyId);
    if (!events || !visibleTo(fold(engagementDecider, events.map((e) => ({ type: e.type, data: e.data }) as EngagementEvent)), p)) throw ResourceErrors.engagementNotFound(`engagement ${id} not found`);
    // reasons and summaries are stored encrypted under the engagement's key: `[erased]` once a party is erased
    return { items: engagementHistory(await this.keys.revealAll(events, ERASED_NAME), p) };
  }
}
