import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { newId, type Clock } from '@vaops/event-sourcing';
import { CLOCK, CurrentPrincipal, PersonKeys, Roles, parseIfMatch, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { TimeTrackingFacts } from '../../facts/clients-facts.projection';
import { entryEngagementId, entryPolicy, nowOf, visibleEngagement } from '../context';
import { EntryIndex } from '../entry-index';
import { Timelogs } from '../timelogs';
import type { EngagementFacts, EntryInput } from '../timelog.decider';
import { AdjustTimeRequest, EntryTimesRequest, LogTimeRequest } from './log-time.request.dto';

const toUtc = (instant: string): string => new Date(instant).toISOString();

/**
 * Time is decided on the assistant's timelog stream at its version: two overlapping entries for one
 * assistant (on any of their clients) race for one version, and the loser re-decides against the winner.
 */
@ApiTags('time-entries')
@Controller('time-entries')
@Roles('agency-admin', 'assistant')
export class LogTimeController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly timelogs: Timelogs,
    private readonly facts: TimeTrackingFacts,
    private readonly entryIndex: EntryIndex,
    private readonly keys: PersonKeys,
  ) {}

  /** The entry's values, its notes sealed under the engagement's key before anything is decided. */
  private async inputOf(b: EntryTimesRequest, engagement: EngagementFacts): Promise<EntryInput> {
    const notes = b.notes === undefined ? null : await this.keys.sealEngagementText(engagement, b.notes);
    return { category: b.category, startedAt: toUtc(b.startedAt), endedAt: toUtc(b.endedAt), billable: b.billable, notes };
  }

  @Post()
  @ApiCreatedResponse({ description: '{ id, position }' })
  async log(@Body() body: LogTimeRequest, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    const engagement = await visibleEngagement(this.facts, body.engagementId, p);
    const entryId = newId();
    // the index entry is written while the rules are read (one round trip less); a refused entry's
    // index points at nothing, as before
    const [policy, input] = await Promise.all([entryPolicy(this.facts, p.agencyId, engagement.assistantId), this.inputOf(body, engagement), this.entryIndex.add(entryId, engagement.assistantId, p.agencyId)]);
    const r = await this.timelogs.execute(engagement.assistantId, { type: 'Log', data: { entryId, input, engagement, policy, now: nowOf(this.clock) } }, p);
    res.setHeader('Location', `/time-entries/${entryId}`);
    setVersion(res, 1);
    return { id: entryId, position: r.lastPosition };
  }

  /** Edits an open or rejected entry; approved time is locked (409 TIME_ENTRY.LOCKED): adjust it instead. */
  @Put(':id')
  @HttpCode(200)
  async correct(@Param('id') id: string, @Body() body: EntryTimesRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const idx = await this.entryIndex.streamOf(id, p);
    const r = await this.timelogs.execute(
      idx.assistantId,
      async (timelog) => {
        const engagement = await visibleEngagement(this.facts, entryEngagementId(timelog, id), p);
        const policy = await entryPolicy(this.facts, p.agencyId, idx.assistantId);
        return { type: 'Correct', data: { entryId: id, input: await this.inputOf(body, engagement), engagement, policy, now: nowOf(this.clock), expectedVersion: parseIfMatch(ifMatch) } };
      },
      p,
    );
    const version = r.state.entries[id]?.version ?? 1;
    setVersion(res, version);
    return { id, position: r.lastPosition, version };
  }

  /** A correction of approved time: a new adjusting entry of the difference, approved again. */
  @Post(':id/adjustments')
  @ApiCreatedResponse({ description: '{ id, position } of the adjusting entry' })
  async adjust(@Param('id') id: string, @Body() body: AdjustTimeRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const idx = await this.entryIndex.streamOf(id, p);
    const entryId = newId();
    const r = await this.timelogs.execute(
      idx.assistantId,
      async (timelog) => {
        const engagement = await visibleEngagement(this.facts, entryEngagementId(timelog, id), p);
        const policy = await entryPolicy(this.facts, p.agencyId, idx.assistantId);
        await this.entryIndex.add(entryId, idx.assistantId, p.agencyId);
        const [input, reason] = await Promise.all([this.inputOf(body, engagement), this.keys.sealEngagementText(engagement, body.reason)]);
        return { type: 'Adjust', data: { entryId, adjusts: id, input, reason, engagement, policy, now: nowOf(this.clock), expectedVersion: parseIfMatch(ifMatch) } };
      },
      p,
    );
    res.setHeader('Location', `/time-entries/${entryId}`);
    setVersion(res, 1);
    return { id: entryId, position: r.lastPosition };
  }
}
