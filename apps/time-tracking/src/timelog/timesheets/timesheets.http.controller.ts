import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CurrentPrincipal, MinPositionQueryDto, Roles, parseIfMatch, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { ValidationFailedError } from '@vaops/platform';
import { RUNTIME, actorOf, type Runtime } from '../../runtime';
import { entryView, executeOnTimelog, forbidden, visibleEngagement, type VisibleEngagement } from '../context';
import { ENTRIES, ENTRIES_PROJECTION, TIMESHEETS, timesheetId, type EntryDoc, type TimesheetDoc } from '../entries/entries.projection';
import { sheetVersion } from '../timelog';
import type { SheetToApprove } from '../timelog.decider';
import { ENGAGEMENTS, type EngagementFactsDoc } from '../../facts/clients-facts.projection';

export const ISO_WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;

class RejectRequest {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

class BulkApproveRequest {
  @ApiProperty({ example: '2026-W11' })
  @Matches(ISO_WEEK, { message: 'must be an ISO week such as 2026-W11' })
  isoWeek!: string;
}

/** Assistants approved in parallel per chunk (each is one append on its own stream). */
export const BULK_CHUNK = 10;

const checkWeek = (isoWeek: string) => {
  if (!ISO_WEEK.test(isoWeek)) throw new ValidationFailedError([{ field: 'isoWeek', message: 'must be an ISO week such as 2026-W11' }]);
};

const includedMinutes = (e: Pick<EngagementFactsDoc, 'plan'>): number | null => (e.plan?.type === 'retainer' ? e.plan.includedHours * 60 : null);

/** Weekly timesheets per engagement and ISO week (in the assistant's zone), decided on the assistant's timelog. */
@ApiTags('timesheets')
@Controller('timesheets')
export class TimesheetsController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  private async sheet(engagementId: string, isoWeek: string, p: Principal): Promise<VisibleEngagement> {
    checkWeek(isoWeek);
    return visibleEngagement(this.runtime, engagementId, p);
  }

  /**
   * A week's timesheet: its review status, its version (the ETag that If-Match on submit, approve and
   * reject sends back) and its entries. A client sees the entries once the week is approved.
   */
  @Get(':engagementId/:isoWeek')
  async get(@Param('engagementId') engagementId: string, @Param('isoWeek') isoWeek: string, @Query() q: MinPositionQueryDto, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    await this.sheet(engagementId, isoWeek, p);
    await this.runtime.waitForProjection(ENTRIES_PROJECTION, q.minPosition);
    const doc = await this.runtime.db.collection<TimesheetDoc>(TIMESHEETS).findOne({ _id: timesheetId(engagementId, isoWeek) });
    const status = doc?.status ?? 'open';
    const version = doc?.version ?? 0;
    const entries =
      p.role === 'client' && status !== 'approved'
        ? []
        : await this.runtime.db.collection<EntryDoc>(ENTRIES).find({ agencyId: p.agencyId, engagementId, isoWeek, supersededBy: null }).sort({ startedAt: 1, _id: 1 }).toArray();
    setVersion(res, version);
    return {
      engagementId,
      isoWeek,
      status,
      version,
      billedMinutes: entries.filter((e) => e.billable).reduce((sum, e) => sum + e.billedMinutes, 0),
      entries: entries.map((d) => entryView(d._id, d)),
    };
  }

  @Post(':engagementId/:isoWeek/submit')
  @HttpCode(200)
  @Roles('assistant', 'agency-admin')
  async submit(@Param('engagementId') engagementId: string, @Param('isoWeek') isoWeek: string, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const e = await this.sheet(engagementId, isoWeek, p);
    const r = await executeOnTimelog(this.runtime, e.assistantId, { type: 'Submit', data: { engagementId, isoWeek, expectedVersion: parseIfMatch(ifMatch) } }, p);
    return this.answer(res, engagementId, isoWeek, 'submitted', r);
  }

  private answer(res: HeaderSink, engagementId: string, isoWeek: string, status: TimesheetDoc['status'], r: Awaited<ReturnType<typeof executeOnTimelog>>) {
    const version = sheetVersion(r.state, engagementId, isoWeek);
    setVersion(res, version);
    return { engagementId, isoWeek, status, version, position: r.lastPosition };
  }

  @Post('approve-bulk')
  @HttpCode(200)
  @Roles('agency-admin')
  async approveBulk(@Body() body: BulkApproveRequest, @CurrentPrincipal() p: Principal) {
    const sheets = await this.runtime.db.collection<TimesheetDoc>(TIMESHEETS).find({ agencyId: p.agencyId, isoWeek: body.isoWeek, status: 'submitted' }).toArray();
    const plans = new Map<string, number | null>();
    const byAssistant = new Map<string, SheetToApprove[]>();
    for (const s of sheets) {
      if (!plans.has(s.engagementId)) {
        const e = await this.runtime.db.collection<EngagementFactsDoc>(ENGAGEMENTS).findOne({ _id: s.engagementId });
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
            const r = await executeOnTimelog(this.runtime, assistantId, { type: 'Approve', data: { sheets: list, by: 'agency' } }, p);
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
    if (p.role === 'assistant') throw forbidden('an assistant does not approve their own time');
    const sheet = { engagementId, isoWeek, includedMinutes: includedMinutes(e), expectedVersion: parseIfMatch(ifMatch) };
    const r = await executeOnTimelog(this.runtime, e.assistantId, { type: 'Approve', data: { sheets: [sheet], by: actorOf(p) } }, p);
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
    if (p.role === 'assistant') throw forbidden('an assistant does not reject their own time');
    const r = await executeOnTimelog(this.runtime, e.assistantId, { type: 'Reject', data: { engagementId, isoWeek, reason: body.reason, by: actorOf(p), expectedVersion: parseIfMatch(ifMatch) } }, p);
    return this.answer(res, engagementId, isoWeek, 'rejected', r);
  }
}

