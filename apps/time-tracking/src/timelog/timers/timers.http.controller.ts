import { Body, Controller, Get, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { newId, type Clock } from '@vaops/event-sourcing';
import { CLOCK, CurrentPrincipal, ForbiddenRoleError, Roles, type HeaderSink, type Principal } from '@vaops/platform';
import { TimeTrackingFacts } from '../../facts/clients-facts.projection';
import { entryPolicy, nowOf, visibleEngagement, type VisibleEngagement } from '../context';
import { EntryIndex } from '../entry-index';
import { CATEGORY_IDS } from '../log-time/log-time.request.dto';
import { Timelogs } from '../timelogs';

class StartTimerRequest {
  @ApiProperty()
  @IsUUID()
  engagementId!: string;

  @ApiProperty({ enum: CATEGORY_IDS })
  @IsIn(CATEGORY_IDS)
  category!: string;
}

const assistantOf = (p: Principal): string => {
  if (p.role !== 'assistant') throw new ForbiddenRoleError(p.role, 'timers are run by assistants');
  return p.assistantId;
};

/**
 * One running timer per assistant, kept on their timelog stream: starting a second one is refused with
 * 409 TIMER.ALREADY_RUNNING (stop the first). While it runs, no other time may be logged after its start.
 * Stopping logs a billable entry from start to now (none under a minute).
 */
@ApiTags('timers')
@Controller('timers')
@Roles('assistant')
export class TimersController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly timelogs: Timelogs,
    private readonly facts: TimeTrackingFacts,
    private readonly entryIndex: EntryIndex,
  ) {}

  /** The assistant's running timer (`engagementId`, `clientId`, `category`, `startedAt`), or `{ timer: null }`: decided state, not a read model. */
  @Get('current')
  async current(@CurrentPrincipal() p: Principal) {
    const assistantId = assistantOf(p);
    const timer = (await this.timelogs.load(assistantId, p.agencyId))?.state.timer ?? null;
    return { timer: timer && { engagementId: timer.engagementId, clientId: timer.clientId, category: timer.category, startedAt: timer.startedAt } };
  }

  @Post('start')
  @HttpCode(201)
  async start(@Body() body: StartTimerRequest, @CurrentPrincipal() p: Principal) {
    const assistantId = assistantOf(p);
    const engagement = await visibleEngagement(this.facts, body.engagementId, p);
    const policy = await entryPolicy(this.facts, p.agencyId, assistantId);
    const now = nowOf(this.clock);
    const r = await this.timelogs.execute(assistantId, { type: 'StartTimer', data: { engagement, category: body.category, policy, now } }, p);
    return { engagementId: engagement.engagementId, category: body.category, startedAt: now, position: r.lastPosition };
  }

  @Post('stop')
  @HttpCode(200)
  async stop(@CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    const assistantId = assistantOf(p);
    const entryId = newId();
    const r = await this.timelogs.execute(
      assistantId,
      async (timelog) => {
        const timer = timelog?.state.timer;
        let engagement: VisibleEngagement | null = null;
        if (timer) engagement = await visibleEngagement(this.facts, timer.engagementId, p).catch(() => null);
        const policy = await entryPolicy(this.facts, p.agencyId, assistantId);
        await this.entryIndex.add(entryId, assistantId, p.agencyId);
        return { type: 'StopTimer', data: { entryId, assistantId, engagement, policy, now: nowOf(this.clock) } };
      },
      p,
    );
    // by this stop, or by its first attempt when this is a retried request
    const logged = r.state.entries[entryId] !== undefined;
    if (logged) res.setHeader('Location', `/time-entries/${entryId}`);
    return { id: logged ? entryId : null, position: r.lastPosition };
  }
}
