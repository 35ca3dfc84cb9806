import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinPositionQueryDto, PersonKeys, ValidationFailedError, type HistoryItem, type Principal } from '@vaops/platform';
import { TimeTrackingFacts } from '../../facts/clients-facts.projection';
import { visibleEngagement } from '../context';
import { ISO_WEEK } from '../timesheets/timesheets.http.controller';
import { ENTRY_CHANGES, weekAt } from './timesheet-history';
import { TimesheetHistory } from './timesheet-history.projection';

/**
 * Every change of a week's timesheet (its entries, submissions, approvals and rejections: what, who,
 * when, why, correlation id), scoped as the week's GET: a client sees the entries' changes once the
 * week is approved, as it sees the entries themselves.
 */
@ApiTags('timesheets')
@Controller('timesheets')
export class TimesheetHistoryController {
  constructor(
    private readonly history: TimesheetHistory,
    private readonly facts: TimeTrackingFacts,
    private readonly keys: PersonKeys,
  ) {}

  @Get(':engagementId/:isoWeek/history')
  async list(@Param('engagementId') engagementId: string, @Param('isoWeek') isoWeek: string, @Query() q: MinPositionQueryDto, @CurrentPrincipal() p: Principal): Promise<{ items: HistoryItem[] }> {
    if (!ISO_WEEK.test(isoWeek)) throw new ValidationFailedError([{ field: 'isoWeek', message: 'must be an ISO week such as 2026-W11' }]);
    await visibleEngagement(this.facts, engagementId, p);
    await this.history.waitFor(q.minPosition);
    const doc = await this.history.byWeek(p.agencyId, engagementId, isoWeek);
    if (!doc) return { items: [] };
    const approved = weekAt(doc)?.status === 'approved';
    const items = doc.items.filter((i) => p.role !== 'client' || approved || !ENTRY_CHANGES.has(i.type));
    // reasons and notes are kept encrypted under the engagement's key: `[erased]` once a party is erased
    return { items: await this.keys.revealAll(items.map(({ v: _v, carried: _c, ...item }) => item)) };
  }
}
