import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DateTime } from 'luxon';
import { ERASED_NAME, localDate } from '@vaops/contracts';
import type { Clock } from '@vaops/event-sourcing';
import { AsOfQueryDto, ResourceErrors, CLOCK, CurrentPrincipal, MinPositionQueryDto, PageQueryDto, PersonKeys, decodeCursor, partyScope, setVersion, toPage, type HeaderSink, type Page, type Principal, type Revealed } from '@vaops/platform';
import { Agencies } from '../../agency/agencies';
import { agencySettingsOf } from '../../agency/agency-settings';
import { Engagements } from '../engagements';
import { engagementDocAt, visibleTo } from '../engagement-history/engagement-history';
import { EngagementDetails, otherActivityAt, type EngagementActivityDoc, type EngagementDoc } from './engagement-details.projection';

class ListEngagementsQuery extends IntersectionType(PageQueryDto, MinPositionQueryDto) {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  clientId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  assistantId?: string;

  @ApiPropertyOptional({ enum: ['active', 'in-notice', 'ended'] })
  @IsOptional()
  @IsIn(['active', 'in-notice', 'ended'])
  status?: 'active' | 'in-notice' | 'ended';
}

class EngagementQuery extends IntersectionType(MinPositionQueryDto, AsOfQueryDto) {}

const PLAN_EVENTS = new Set(['EngagementPlanChanged']);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length <= 64;

const latest = (a: string, b: string | undefined) => (b && Date.parse(b) > Date.parse(a) ? b : a);

/**
 * What each role may see of an engagement: an assistant never sees the plan (the client's rate). The plan
 * in force is the one of the agency's day (`zone`), the day a plan change is decided against.
 */
export function engagementView(d: EngagementDoc, p: Principal, now: Date, zone: string, activity?: EngagementActivityDoc | null) {
  const lastActivityAt = latest(d.lastActivityAt, otherActivityAt(activity) ?? undefined);
  // Silent while nothing happened since the silence was flagged.
  const silent = d.silentSince !== null && Date.parse(lastActivityAt) <= Date.parse(d.silentSince);
  const today = localDate(now, zone);
  const currentPlan = d.plans.reduce((cur, x) => (x.effectiveOn <= today ? x.plan : cur), d.plans[0].plan);
  const reviewBase = d.lastReviewAt ?? d.startsOn;
  const nextReviewDue = d.reviewEveryDays ? DateTime.fromISO(reviewBase, { zone: 'UTC' }).plus({ days: d.reviewEveryDays }).toISO() : null;
  const view = {
    id: d._id,
    clientId: d.clientId,
    assistantId: d.assistantId,
    kind: d.kind,
    weeklyHours: d.weeklyHours,
    startsOn: d.startsOn,
    noticePeriodDays: d.noticePeriodDays,
    phase: d.phase,
    phaseHistory: d.phaseHistory,
    plan: currentPlan,
    plans: d.plans,
    status: d.status,
    notice: d.notice,
    endsOn: d.endsOn,
    endedBy: d.endedBy,
    endedOn: d.endedOn,
    lastActivityAt,
    silent: silent ? { since: d.silentSince } : null,
    review: d.reviewEveryDays
      ? { everyDays: d.reviewEveryDays, lastReviewAt: d.lastReviewAt, nextReviewDue, overdue: d.status !== 'ended' && nextReviewDue !== null && Date.parse(nextReviewDue) < now.getTime() }
      : null,
    history: d.history,
    version: d._v,
  };
  if (p.role === 'assistant') {
    const { plan: _plan, plans: _plans, ...rest } = view;
    const history = d.history
      .filter((h) => !PLAN_EVENTS.has(h.type))
      .map((h) => {
        const { plan: _p, ...data } = h.data;
        return { ...h, data };
      });
    return { ...rest, history };
  }
  return view;
}

@ApiTags('engagements')
@Controller('engagements')
export class EngagementDetailsController {
  constructor(
    private readonly details: EngagementDetails,
    private readonly engagements: Engagements,
    private readonly agencies: Agencies,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly keys: PersonKeys,
  ) {}

  /** The view with its free text (reasons, summaries) decrypted under the engagement's key, `[erased]` once a party is erased. */
  private reveal<T>(view: T): Promise<Revealed<T>> {
    return this.keys.revealAll(view, ERASED_NAME);
  }

  /** A client sees only its own engagements, an assistant only theirs. */
  @Get()
  async list(@Query() q: ListEngagementsQuery, @CurrentPrincipal() p: Principal): Promise<Page<ReturnType<typeof engagementView>>> {
    await this.details.waitFor(q.minPosition);
    const scope = partyScope(q, p);
    if (!scope) return { items: [], nextCursor: null };
    const rows = await this.details.page({ ...scope, status: q.status, after: q.cursor ? decodeCursor(q.cursor, isId) : undefined }, q.limit);
    const [byId, zone] = await Promise.all([this.details.activities(rows.map((r) => r._id)), this.agencyZone(p)]);
    const now = this.clock.now();
    return toPage(await Promise.all(rows.map((d) => this.reveal(engagementView(d, p, now, zone, byId.get(d._id))))), q.limit, (last) => last.id);
  }

  /** With `asOf`, the engagement as it stood then, folded from its stream (404 if it did not exist yet). */
  @Get(':id')
  async get(@Param('id') id: string, @Query() q: EngagementQuery, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    if (q.asOf !== undefined) {
      const asOf = new Date(q.asOf);
      const past = await this.engagements.loadAsOf(id, p.agencyId, asOf);
      const doc = past && visibleTo(past.state, p) ? engagementDocAt(past, p.agencyId) : null;
      if (!doc) throw ResourceErrors.engagementNotFound(`engagement ${id} not found`);
      setVersion(res, doc._v);
      return this.reveal(engagementView(doc, p, asOf, await this.agencyZone(p)));
    }
    await this.details.waitFor(q.minPosition);
    const doc = await this.details.byId(p.agencyId, id);
    if (!doc || (p.role === 'client' && doc.clientId !== p.clientId) || (p.role === 'assistant' && doc.assistantId !== p.assistantId)) {
      throw ResourceErrors.engagementNotFound(`engagement ${id} not found`);
    }
    setVersion(res, doc._v);
    const [activity, zone] = await Promise.all([this.details.activityOf(id), this.agencyZone(p)]);
    return this.reveal(engagementView(doc, p, this.clock.now(), zone, activity));
  }

  private async agencyZone(p: Principal): Promise<string> {
    return (await agencySettingsOf(this.agencies, p.agencyId)).timezone;
  }
}
