import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiProperty, ApiTags, IntersectionType } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { DomainError } from '@vaops/event-sourcing';
import { CurrentPrincipal, IsIdList, MinPositionQueryDto, Roles, type Principal } from '@vaops/platform';
import { TimeTrackingFacts } from '../../facts/clients-facts.projection';
import { visibleEngagement, type VisibleEngagement } from '../context';
import { TimeEntries, type EntryDoc } from '../entries/entries.projection';
import { TimelogErrors } from '../timelog.errors';

class MonthQuery {
  @ApiProperty({ example: '2026-03', description: "month in the agency's zone" })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month YYYY-MM' })
  month!: string;
}

class RetainerQuery extends IntersectionType(MonthQuery, MinPositionQueryDto) {}

/** Engagements one `GET /retainers` answers at most. */
export const MAX_LISTED_RETAINERS = 200;

class EngagementIdsQuery {
  @IsIdList('engagement', MAX_LISTED_RETAINERS)
  engagementIds!: string[];
}

class RetainersQuery extends IntersectionType(RetainerQuery, EngagementIdsQuery) {}

type RetainerPlan = Extract<NonNullable<VisibleEngagement['plan']>, { type: 'retainer' }>;

/** The month's burn-down of a retainer from its billable entries of the month. */
function burnDown(engagementId: string, month: string, plan: RetainerPlan, rows: EntryDoc[]) {
  const sum = (pred: (d: EntryDoc) => boolean) => rows.filter(pred).reduce((s, d) => s + d.billedMinutes, 0);
  const usedMinutes = sum((d) => d.status === 'approved');
  const includedMinutes = plan.includedHours * 60;
  return {
    engagementId,
    month,
    includedHours: plan.includedHours,
    usedHours: usedMinutes / 60,
    includedMinutes,
    usedMinutes,
    pendingMinutes: sum((d) => d.status !== 'approved'),
    remainingMinutes: Math.max(0, includedMinutes - usedMinutes),
    percentUsed: includedMinutes > 0 ? Math.floor((usedMinutes * 100) / includedMinutes) : 0,
  };
}

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
    return burnDown(id, q.month, e.plan, await this.entries.billableInMonth(p.agencyId, id, q.month));
  }
}

/**
 * The month's burn-down of many retainers in one request (`?engagementIds=a,b,c`, at most 200): what a
 * page of alerts asks of every retainer of the agency. The same figures as each engagement's own route;
 * an id that is not a retainer the caller may see (another client's, another agency's, unknown, hourly)
 * is left out, as its own route would answer 404.
 */
@ApiTags('retainer')
@Controller('retainers')
@Roles('agency-admin', 'client')
export class RetainersController {
  constructor(
    private readonly entries: TimeEntries,
    private readonly facts: TimeTrackingFacts,
  ) {}

  @Get()
  async burnDowns(@Query() q: RetainersQuery, @CurrentPrincipal() p: Principal) {
    await this.entries.waitFor(q.minPosition);
    const ids = [...new Set(q.engagementIds)];
    const items = await Promise.all(
      ids.map(async (id) => {
        const e = await visibleEngagement(this.facts, id, p).catch((err: unknown) => {
          if (err instanceof DomainError && err.kind === 'not-found') return null;
          throw err;
        });
        if (e?.plan?.type !== 'retainer') return null;
        return burnDown(id, q.month, e.plan, await this.entries.billableInMonth(p.agencyId, id, q.month));
      }),
    );
    return { month: q.month, items: items.filter((i) => i !== null) };
  }
}
