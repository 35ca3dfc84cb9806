import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CurrentPrincipal, PageQueryDto, Roles, ValidationFailedError, decodeCursor, encodeCursor, type Page, type Principal } from '@vaops/platform';
import { ASSISTANTS, type AssistantDoc } from '../facts/clients-facts.projection';
import { LOGGED, type LoggedEntryDoc } from '../facts/time.projection';
import { ISO_WEEK, isIsoWeek } from '../shared/periods';
import { isId } from '../shared/query';
import { RUNTIME, type Runtime } from '../runtime';
import { utilizationRows, type UtilizationRow } from './utilization';

class UtilizationQuery extends PageQueryDto {
  @ApiProperty({ example: '2026-W11', description: 'ISO week YYYY-Www (weeks in the assistant’s zone, as timesheets)' })
  @Matches(ISO_WEEK, { message: 'must be an ISO week YYYY-Www such as 2026-W11' })
  week!: string;
}

@ApiTags('analytics')
@Controller('analytics/utilization')
export class UtilizationController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  /**
   * Logged minutes against weekly capacity, one row for every assistant of the agency registered by
   * that week (0 logged if none). The agency sees every row; an assistant only their own; a client 403.
   */
  @Get()
  @Roles('agency-admin', 'assistant')
  async list(@Query() q: UtilizationQuery, @CurrentPrincipal() p: Principal): Promise<Page<UtilizationRow>> {
    if (!isIsoWeek(q.week)) throw new ValidationFailedError([{ field: 'week', message: `${q.week} has no such week` }]);
    const db = this.runtime.db;
    const filter: Record<string, unknown> = { agencyId: p.agencyId, registeredWeek: { $lte: q.week } };
    const ids: Record<string, unknown> = {};
    if (q.cursor) ids.$gt = decodeCursor(q.cursor, isId);
    if (p.role === 'assistant') ids.$eq = p.assistantId;
    if (Object.keys(ids).length > 0) filter._id = ids;
    const assistants = await db.collection<AssistantDoc>(ASSISTANTS).find(filter).sort({ _id: 1 }).limit(q.limit + 1).toArray();
    const page = assistants.slice(0, q.limit);
    const entries = await db
      .collection<LoggedEntryDoc>(LOGGED)
      .find({ agencyId: p.agencyId, isoWeek: q.week, assistantId: { $in: page.map((a) => a._id) } })
      .toArray();
    // the extra row fetched only says another page exists
    const nextCursor = assistants.length > q.limit ? encodeCursor(page[page.length - 1]._id) : null;
    return { items: utilizationRows(q.week, page, entries), nextCursor };
  }
}
