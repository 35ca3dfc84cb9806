import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ERASED_NAME } from '@vaops/contracts';
import { CurrentPrincipal, mayViewParties, MinPositionQueryDto, PersonKeys, type HistoryItem, type Principal } from '@vaops/platform';
import { CalendarErrors } from '../calendar.errors';
import { historyItems } from './appointment-history';
import { AppointmentHistory } from './appointment-history.projection';

/** Every change of an appointment (what, who, when, why, correlation id), scoped as `GET /appointments/:id`. */
@ApiTags('appointments')
@Controller('appointments/:id')
export class AppointmentHistoryController {
  constructor(
    private readonly history: AppointmentHistory,
    private readonly keys: PersonKeys,
  ) {}

  @Get('history')
  async list(@Param('id') id: string, @Query() q: MinPositionQueryDto, @CurrentPrincipal() p: Principal): Promise<{ items: HistoryItem[] }> {
    await this.history.waitFor(q.minPosition);
    const doc = await this.history.byId(p.agencyId, id);
    if (!doc || !mayViewParties(doc, p)) throw CalendarErrors.notFound(`appointment ${id} not found`);
    // the title and reasons are kept encrypted under the engagement's key: `[erased]` once a party is erased
    return { items: await this.keys.revealAll(historyItems(doc), ERASED_NAME) };
  }
}
