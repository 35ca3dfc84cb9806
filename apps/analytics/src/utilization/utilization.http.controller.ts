import { Controller, Get, Query } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CurrentPrincipal, PageQueryDto, Roles, ValidationFailedError, decodeCursor, encodeCursor, type Page, type Principal } from '@vaops/platform';
import { AnalyticsFacts } from '../facts/clients-facts.projection';
import { TimeFacts } from '../facts/time.projection';
import { ISO_WEEK, isIsoWeek } from '../shared/periods';
import { isId } from '../shared/query';
import { utilizationRows, type UtilizationRow } from './utilization';

class UtilizationQuery extends PageQueryDto {
  @ApiProperty({ example: '2026-W11', description: 'ISO week YYYY-Www (weeks in the assistant’s zone, as timesheets)' })
  @Matches(ISO_WEEK, { message: 'must be an ISO week YYYY-Www such as 2026-W11' })
  week!: string;
}

@ApiTags('analytics')
@Controller('analytics/utilization')
export class UtilizationController {
  constructor(
    private readonly facts: AnalyticsFacts,
    private readonly time: TimeFacts,
  ) {}

  /**
   * Logged minutes against weekly capacity, one row for every assistant of the agency registered by
   * that week (0 logged if none). The agency sees every row; an assistant only their own; a client 403.
   */
  @Get()
  @Roles('agency-admin', 'assistant')
  async list(@Query() q: UtilizationQuery, @CurrentPrincipal() p: Principal): Promise<Page<UtilizationRow>> {
    if (!isIsoWeek(q.week)) throw new ValidationFailedError([{ field: 'week', message: `${q.week} has no such week` }]);
    const ids: { is?: string; after?: string } = {};
    if (q.cursor) ids.after = decodeCursor(q.cursor, isId);
    if (p.role === 'assistant') ids.is = p.assistantId;
    const assistants = await this.facts.assistantsRegisteredBy(p.agencyId, q.week, ids, q.limit);
    const page = assistants.slice(0, q.limit);
    const entries = await this.time.loggedInWeek(p.agencyId, q.week, page.map((a) => a._id));
    // the extra row fetched only says another page exists
    const nextCursor = assistants.length > q.limit ? encodeCursor(page[page.length - 1]._id) : null;
    return { items: utilizationRows(q.week, page, entries), nextCursor };
  }
}
