import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiProperty, ApiTags, IntersectionType } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CurrentPrincipal, MinPositionQueryDto, Roles, type Principal } from '@vaops/platform';
import { TimeTrackingFacts } from '../../facts/clients-facts.projection';
import { visibleEngagement } from '../context';
import { TimeEntries, type EntryDoc } from '../entries/entries.projection';
import { TimelogErrors } from '../timelog.errors';

class MonthQuery {
  @ApiProperty({ example: '2026-03', description: "month in the agency's zone" })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month YYYY-MM' })
  month!: string;
}

class RetainerQuery extends IntersectionType(MonthQuery, MinPositionQueryDto) {}

/**
 * Retainer burn-down of an engagement in a month: used = billed minutes of APPROVED billable time
 * (adjustments included), pending = billed minutes not yet approved. For the agency and the client
 * (the plan is never shown to the assistant: 404).
 */
@ApiTags('retainer')
@Controller('engagements/:id/retainer')
@Roles('agency-admin', 'client')
export class RetainerController {
  constructor(
    private readonly entries: TimeEntries,
    private readonly facts: TimeTrackingFacts,
  ) {}

  @Get()
  async burnDown(@Param('id') id: string, @Query() q: RetainerQuery, @CurrentPrincipal() p: Principal) {
    const e = await visibleEngagement(this.facts, id, p);
    if (e.plan?.type !== 'retainer') throw TimelogErrors.retainerNotFound(`engagement ${id} has no retainer plan`);
    await this.entries.waitFor(q.minPosition);
    const rows = await this.entries.billableInMonth(p.agencyId, id, q.month);
    const sum = (pred: (d: EntryDoc) => boolean) => rows.filter(pred).reduce((s, d) => s + d.billedMinutes, 0);
    const usedMinutes = sum((d) => d.status === 'approved');
    const includedMinutes = e.plan.includedHours * 60;
    return {
      engagementId: id,
      month: q.month,
      includedHours: e.plan.includedHours,
      usedHours: usedMinutes / 60,
      includedMinutes,
      usedMinutes,
      pendingMinutes: sum((d) => d.status !== 'approved'),
      remainingMinutes: Math.max(0, includedMinutes - usedMinutes),
      percentUsed: includedMinutes > 0 ? Math.floor((usedMinutes * 100) / includedMinutes) : 0,
    };
  }
}
