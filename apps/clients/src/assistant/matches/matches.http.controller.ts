import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ERASED_NAME, localDate } from '@vaops/contracts';
import type { Clock } from '@vaops/event-sourcing';
import { CLOCK, CurrentPrincipal, PersonKeys, ResourceErrors, Roles, type Principal } from '@vaops/platform';
import { ClientDirectory } from '../../client/client-directory/client-directory.projection';
import { AssistantReliability } from '../assistant-reliability/assistant-reliability.projection';
import { AssistantRoster } from '../assistant-roster/assistant-roster.projection';
import { MatchesQuery } from './matches.request.dto';
import { DEFAULT_BUSINESS_HOURS, MATCH_WEEKS, rankMatches, type Match } from './matching';

/**
 * Which assistants suit a new engagement with a client, best first, each with the figures behind its
 * rank (docs/matching.md). Three reads whatever the roster's size: the client, the agency's roster
 * (one indexed query; commitments are on each roster document) and the roster's reliability records
 * (`_id $in`); no stream is loaded.
 */
@ApiTags('assistants')
@Controller('assistants')
export class MatchesController {
  constructor(
    private readonly clients: ClientDirectory,
    private readonly roster: AssistantRoster,
    private readonly reliability: AssistantReliability,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly keys: PersonKeys,
  ) {}

  @Get('matches')
  @Roles('agency-admin')
  @ApiOkResponse({ description: '{ items: [{ assistantId, rank, spareWeeklyHours, overlapMinutesPerWeek, skillsMatched, concentration, reliability, reasons }] }' })
  async matches(@Query() q: MatchesQuery, @CurrentPrincipal() p: Principal): Promise<{ items: Match[] }> {
    await Promise.all([this.clients.waitFor(q.minPosition), this.roster.waitFor(q.minPosition)]);
    const client = await this.clients.byId(p.agencyId, q.clientId);
    if (!client) throw ResourceErrors.clientNotFound(`client ${q.clientId} not found`);
    const assistants = await this.roster.ofAgency(p.agencyId);
    const records = await this.reliability.of(p.agencyId, assistants.map((a) => a._id));
    const ranked = rankMatches(
      {
        clientId: client._id,
        clientZone: client.timezone,
        businessHours: DEFAULT_BUSINESS_HOURS,
        weeklyHours: q.weeklyHours,
        kind: q.kind ?? 'part-time',
        skills: [...new Map((q.skills ?? []).map((s) => [s.toLowerCase(), s])).values()],
        from: localDate(this.clock.now(), client.timezone),
        weeks: MATCH_WEEKS,
      },
      await Promise.all(assistants.map(async (a) => ({
        assistantId: a._id,
        name: (await this.keys.reveal(a.name)) ?? ERASED_NAME,
        timezone: a.timezone,
        weeklyCapacityHours: a.weeklyCapacityHours,
        committedWeeklyHours: a.committedWeeklyHours,
        skills: a.skills ?? [],
        workingHours: a.workingHours ?? [],
        commitments: Object.values(a.commitments ?? {}),
        reliability: records.get(a._id) ?? null,
      }))),
    );
    return { items: ranked.slice(0, q.limit) };
  }
}
