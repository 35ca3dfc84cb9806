import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { fold } from '@vaops/event-sourcing';
import { CurrentPrincipal, ResourceErrors, type HistoryItem, type Principal } from '@vaops/platform';
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
  constructor(private readonly engagements: Engagements) {}

  @Get('history')
  async history(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<{ items: HistoryItem[] }> {
    const events = await this.engagements.history(id, p.agencyId);
    if (!events || !visibleTo(fold(engagementDecider, events.map((e) => ({ type: e.type, data: e.data }) as EngagementEvent)), p)) throw ResourceErrors.engagementNotFound(`engagement ${id} not found`);
    return { items: engagementHistory(events, p) };
  }
}
