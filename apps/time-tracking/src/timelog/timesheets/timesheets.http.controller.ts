import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { HandleResult } from '@vaops/event-sourcing';
import { ApiProperty, ApiPropertyOptional, ApiTags, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { AsOfQueryDto, CurrentPrincipal, decodeCursor, IsRequiredText, MinPositionQueryDto, PageQueryDto, parseIfMatch, PersonKeys, Roles, setVersion, toPage, type HeaderSink, type Page, type Principal } from '@vaops/platform';
import { ForbiddenRoleError, ValidationFailedError } from '@vaops/platform';
import { actorOf } from '../../runtime';
import { entryView, visibleEngagement, type VisibleEngagement } from '../context';
import { TimeEntries, Timesheets, type TimesheetDoc } from '../entries/entries.projection';
import { weekAt } from '../timesheet-history/timesheet-history';
import { TimesheetHistory } from '../timesheet-history/timesheet-history.projection';
import { sheetVersion, type TimelogEvent, type TimelogState } from '../timelog';
import { Timelogs } from '../timelogs';
import { TimelogErrors } from '../timelog.errors';
import type { SheetToApprove } from '../timelog.decider';
import { TimeTrackingFacts, type EngagementFactsDoc } from '../../facts/clients-facts.projection';

export const ISO_WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;

class RejectRequest {
  @IsRequiredText(500)
  reason!: string;
}

class BulkApproveRequest {
  @ApiProperty({ example: '2026-W11' })
  @Matches(ISO_WEEK, { message: 'must be an ISO week such as 2026-W11' })
  isoWeek!: string;
}

class TimesheetsFilter {
  @ApiPropertyOptional({ example: '2026-W11' })
  @IsOptional()
  @Matches(ISO_WEEK, { message: 'must be an ISO week such as 2026-W11' })
  isoWeek?: string;

  @ApiPropertyOptional({ enum: ['submitted', 'approved', 'rejected'] })
  @IsOptional()
  @IsIn(['submitted', 'approved', 'rejected'])
  status?: TimesheetDoc['status'];
}

class TimesheetQuery extends IntersectionType(MinPositionQueryDto, AsOfQueryDto) {}

class TimesheetsQuery extends IntersectionType(TimesheetsFilter, IntersectionType(PageQueryDto, MinPositionQueryDto)) {}

export interface TimesheetSummary {
  engagementId: string;
  isoWeek: string;
  assistantId: string;
  clientId: string;
  status: TimesheetDoc['status'];
  version: number;
}

const isSheetId = (v: unknown): v is string => typeof v === 'string' && v.length <= 100;

/** Assistants approved in parallel per chunk (each is one append on its own stream). */
export const BULK_CHUNK = 10;

const checkWeek = (isoWeek: string) => {
  if (!ISO_WEEK.test(isoWeek)) throw new ValidationFailedError([{ field: 'isoWeek', message: 'must be an ISO week such as 2026-W11' }]);
};

const includedMinutes = (e: Pick<EngagementFactsDoc, 'plan'>): number | null => (e.plan?.type === 'retainer' ? e.plan.includedHours * 60 : null);

type WeekEntryView = Parameters<typeof entryView>[1] & { id: string };

/** The week's answer: its status and version, the billed total, and its entries (for a client, once approved). */
function weekView(engagementId: string, isoWeek: string, status: TimesheetDoc['status'] | 'open', version: number, entries: WeekEntryView[], p: Principal) {
  return {
    engagementId,
    isoWeek,
    status,
    version,
    // the week's billed total (an adjusting entry is a signed difference, so the adjusted entry still counts);
    // a client sees the entries themselves once they are approved
    billedMinutes: entries.filter((e) => e.billable).reduce((sum, e) => sum + e.billedMinutes, 0),
    entries: p.role === 'client' && status !== 'approved' ? [] : entries.map((d) => entryView(d.id, d)),
  };
}

/** Weekly timesheets per engagement and ISO week (in the assistant's zone), decided on the assistant's timelog. */
@ApiTags('timesheets')
@Controller('timesheets')
export class TimesheetsController {
  constructor(
    private readonly timelogs: Timelogs,
    private readonly timesheets: Timesheets,
    private readonly entries: TimeEntries,
    private readonly facts: TimeTrackingFacts,
    private readonly history: TimesheetHistory,
    private readonly keys: PersonKeys,
  ) {}

  private async sheet(engagementId: string, isoWeek: string, p: Principal): Promise<VisibleEngagement> {
    checkWeek(isoWeek);
    return visibleEngagement(this.facts, engagementId, p);
  }

  /**
   * Weeks that were submitted at least once (an open week that never was is not listed), by week and
   * status: the agency's all, an assistant's own, a client's own engagements'. Paged.
   */
  @Get()
  async list(@Query() q: TimesheetsQuery, @CurrentPrincipal() p: Principal): Promise<Page<TimesheetSummary>> {
    await this.timesheets.waitFor(q.minPosition);
    const rows = await this.timesheets.page(
      p.agencyId,
      {
        isoWeek: q.isoWeek,
        status: q.status,
        assistantId: p.role === 'assistant' ? p.assistantId : undefined,
        clientId: p.role === 'client' ? p.clientId : undefined,
        after: q.cursor ? decodeCursor(q.cursor, isSheetId) : undefined,
      },
      q.limit,
    );
    const items = rows.map((d) => ({ id: d._id, engagementId: d.engagementId, isoWeek: d.isoWeek, assistantId: d.assistantId, clientId: d.clientId, status: d.status, version: d.version }));
    const page = toPage(items, q.limit, (last) => last.id);
    return { items: page.items.map(({ id: _id, ...summary }) => summary), nextCursor: page.nextCursor };
  }

  /**
   * A week's timesheet: its review status, its version (the ETag that If-Match on submit, approve and
   * reject sends back), its billed total and its entries. A client sees the entries once the week is
   * approved (and the total it is asked to approve before).
   */
  /**
   * A week's timesheet: its review status, its version (the ETag that If-Match on submit, approve and
   * reject sends back), its billed total and its entries. A client sees the entries once the week is
   * approved (and the total it is asked to approve before). With `asOf`, the week as it stood then,
   * folded from its history (404 when nothing had happened in it yet).
   */
  @Get(':engagementId/:isoWeek')
  async get(@Param('engagementId') engagementId: string, @Param('isoWeek') isoWeek: string, @Query() q: TimesheetQuery, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    await this.sheet(engagementId, isoWeek, p);
    if (q.asOf !== undefined) {
      await this.history.waitFor(q.minPosition);
      const doc = await this.history.byWeek(p.agencyId, engagementId, isoWeek);
      const week = doc && weekAt(doc, new Date(q.asOf));
      if (!week) throw TimelogErrors.timesheetNotFound(`timesheet ${engagementId} ${isoWeek} had no entries at ${q.asOf}`);
      setVersion(res, week.version);
      return this.keys.revealAll(weekView(engagementId, isoWeek, week.status, week.version, week.entries, p));
    }
    await this.timesheets.waitFor(q.minPosition);
    const doc = await this.timesheets.byWeek(engagementId, isoWeek);
    const status = doc?.status ?? 'open';
    const version = doc?.version ?? 0;
    const entries = await this.entries.inWeek(p.agencyId, engagementId, isoWeek);
    setVersion(res, version);
    return this.keys.revealAll(weekView(engagementId, isoWeek, status, version, entries.map((d) => ({ ...d, id: d._id })), p));
  }

  @Post(':engagementId/:isoWeek/submit')
  @HttpCode(200)
  @Roles('assistant', 'agency-admin')
  async submit(@Param('engagementId') engagementId: string, @Param('isoWeek') isoWeek: string, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const e = await this.sheet(engagementId, isoWeek, p);
    const r = await this.timelogs.execute(e.assistantId, { type: 'Submit', data: { engagementId, isoWeek, expectedVersion: parseIfMatch(ifMatch) } }, p);
    return this.answer(res, engagementId, isoWeek, 'submitted', r);
  }

  private answer(res: HeaderSink, engagementId: string, isoWeek: string, status: TimesheetDoc['status'], r: HandleResult<TimelogEvent, TimelogState>) {
    const version = sheetVersion(r.state, engagementId, isoWeek);
    setVersion(res, version);
    return { engagementId, isoWeek, status, version, position: r.lastPosition };
  }

  @Post('approve-bulk')
  @HttpCode(200)
  @Roles('agency-admin')
  async approveBulk(@Body() body: BulkApproveRequest, @CurrentPrincipal() p: Principal) {
    const sheets = await this.timesheets.submittedInWeek(p.agencyId, body.isoWeek);
    const plans = new Map<string, number | null>();
    const byAssistant = new Map<string, SheetToApprove[]>();
    for (const s of sheets) {
      if (!plans.has(s.engagementId)) {
        const e = await this.facts.engagement(s.engagementId);
        plans.set(s.engagementId, e ? includedMinutes(e) : null);
      }
      byAssistant.set(s.assistantId, [...(byAssistant.get(s.assistantId) ?? []), { engagementId: s.engagementId, isoWeek: s.isoWeek, includedMinutes: plans.get(s.engagementId) ?? null }]);
    }
    let approved = 0;
    let position = 0;
    const failed: { engagementId: string; code: string }[] = [];
    const groups = [...byAssistant.entries()];
    for (let i = 0; i < groups.length; i += BULK_CHUNK) {
      await Promise.all(
        groups.slice(i, i + BULK_CHUNK).map(async ([assistantId, list]) => {
          try {
            const r = await this.timelogs.execute(assistantId, { type: 'Approve', data: { sheets: list, by: 'agency' } }, p);
            approved += r.events.filter((e) => e.type === 'TimesheetApproved').length;
            position = Math.max(position, r.lastPosition);
          } catch (err) {
            for (const s of list) failed.push({ engagementId: s.engagementId, code: (err as { code?: string }).code ?? 'INTERNAL' });
          }
        }),
      );
    }
    return { isoWeek: body.isoWeek, approved, failed, position };
  }

  @Post(':engagementId/:isoWeek/approve')
  @HttpCode(200)
  @Roles('client', 'agency-admin', 'assistant')
  async approve(@Param('engagementId') engagementId: string, @Param('isoWeek') isoWeek: string, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const e = await this.sheet(engagementId, isoWeek, p);
    if (p.role === 'assistant') throw new ForbiddenRoleError(p.role, 'an assistant does not approve their own time');
    const sheet = { engagementId, isoWeek, includedMinutes: includedMinutes(e), expectedVersion: parseIfMatch(ifMatch) };
    const r = await this.timelogs.execute(e.assistantId, { type: 'Approve', data: { sheets: [sheet], by: actorOf(p) } }, p);
    return this.answer(res, engagementId, isoWeek, 'approved', r);
  }

  @Post(':engagementId/:isoWeek/reject')
  @HttpCode(200)
  @Roles('client', 'agency-admin', 'assistant')
  async reject(
    @Param('engagementId') engagementId: string,
    @Param('isoWeek') isoWeek: string,
    @Body() body: RejectRequest,
    @CurrentPrincipal() p: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ) {
    const e = await this.sheet(engagementId, isoWeek, p);
    if (p.role === 'assistant') throw new ForbiddenRoleError(p.role, 'an assistant does not reject their own time');
    const reason = await this.keys.sealEngagementText(e, body.reason);
    const r = await this.timelogs.execute(e.assistantId, { type: 'Reject', data: { engagementId, isoWeek, reason, by: actorOf(p), expectedVersion: parseIfMatch(ifMatch) } }, p);
    return this.answer(res, engagementId, isoWeek, 'rejected', r);
  }
}

