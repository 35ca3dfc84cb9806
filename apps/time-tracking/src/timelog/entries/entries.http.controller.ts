import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { CurrentPrincipal, decodeCursor, IsInstant, MinPositionQueryDto, PageQueryDto, PersonKeys, setVersion, toPage, type HeaderSink, type Principal } from '@vaops/platform';
import { entryView, visibleEngagement } from '../context';
import { TimeTrackingFacts } from '../../facts/clients-facts.projection';
import { TimeEntries, type EntryDoc, type EntryScope } from './entries.projection';
import { TimelogErrors } from '../timelog.errors';

class EntriesFilter {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  engagementId?: string;

  @ApiPropertyOptional({ description: 'entries starting at or after this instant' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'entries starting before this instant' })
  @IsOptional()
  @IsInstant()
  to?: string;
}

class EntriesQuery extends IntersectionType(EntriesFilter, IntersectionType(PageQueryDto, MinPositionQueryDto)) {}

/** Every read is scoped: an assistant sees only their own time, a client only APPROVED time of its own engagements. */
export function scope(p: Principal): EntryScope {
  if (p.role === 'assistant') return { agencyId: p.agencyId, assistantId: p.assistantId };
  if (p.role === 'client') return { agencyId: p.agencyId, clientId: p.clientId, status: 'approved' };
  return { agencyId: p.agencyId };
}

const view = (d: EntryDoc) => entryView(d._id, d);

@ApiTags('time-entries')
@Controller('time-entries')
export class EntriesController {
  constructor(
    private readonly entries: TimeEntries,
    private readonly facts: TimeTrackingFacts,
    private readonly keys: PersonKeys,
  ) {}

  @Get()
  async list(@Query() q: EntriesQuery, @CurrentPrincipal() p: Principal) {
    if (q.engagementId) await visibleEngagement(this.facts, q.engagementId, p);
    await this.entries.waitFor(q.minPosition);
    const after = q.cursor ? (decodeCursor(q.cursor) as [string, string]) : undefined;
    const rows = await this.entries.page(scope(p), { engagementId: q.engagementId, from: q.from, to: q.to, after }, q.limit);
    const page = toPage(rows, q.limit, (last) => [last.startedAt, last._id]);
    // notes are kept encrypted under the engagement's key: `[erased]` once a party is erased
    return { items: await this.keys.revealAll(page.items.map(view)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  async get(@Param('id') id: string, @Query() q: MinPositionQueryDto, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    await this.entries.waitFor(q.minPosition);
    const doc = await this.entries.byId(id, scope(p));
    if (!doc) throw TimelogErrors.entryNotFound(`time entry ${id} not found`);
    setVersion(res, doc.version);
    return this.keys.revealAll(view(doc));
  }
}
