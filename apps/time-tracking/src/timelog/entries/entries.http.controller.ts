import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { CurrentPrincipal, MinPositionQueryDto, PageQueryDto, decodeCursor, setVersion, toPage, type HeaderSink, type Principal } from '@vaops/platform';
import type { Filter } from 'mongodb';
import { RUNTIME, type Runtime } from '../../runtime';
import { entryView, visibleEngagement } from '../context';
import { IsInstant } from '../log-time/log-time.request.dto';
import { ENTRIES, ENTRIES_PROJECTION, type EntryDoc } from './entries.projection';
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
export function scope(p: Principal): Filter<EntryDoc> {
  if (p.role === 'assistant') return { agencyId: p.agencyId, assistantId: p.assistantId };
  if (p.role === 'client') return { agencyId: p.agencyId, clientId: p.clientId, status: 'approved' };
  return { agencyId: p.agencyId };
}

const view = (d: EntryDoc) => entryView(d._id, d);

@ApiTags('time-entries')
@Controller('time-entries')
export class EntriesController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  @Get()
  async list(@Query() q: EntriesQuery, @CurrentPrincipal() p: Principal) {
    if (q.engagementId) await visibleEngagement(this.runtime, q.engagementId, p);
    await this.runtime.waitForProjection(ENTRIES_PROJECTION, q.minPosition);
    const filter: Filter<EntryDoc> = { ...scope(p), ...(q.engagementId ? { engagementId: q.engagementId } : {}) };
    const startedAt: Record<string, string> = {};
    if (q.from) startedAt.$gte = new Date(q.from).toISOString();
    if (q.to) startedAt.$lt = new Date(q.to).toISOString();
    const and: Filter<EntryDoc>[] = [];
    if (Object.keys(startedAt).length > 0) and.push({ startedAt });
    if (q.cursor) {
      const [s, id] = decodeCursor(q.cursor) as [string, string];
      and.push({ $or: [{ startedAt: { $gt: s } }, { startedAt: s, _id: { $gt: id } }] });
    }
    if (and.length > 0) filter.$and = and;
    const rows = await this.runtime.db
      .collection<EntryDoc>(ENTRIES)
      .find(filter)
      .sort({ startedAt: 1, _id: 1 })
      .limit(q.limit + 1)
      .toArray();
    const page = toPage(rows, q.limit, (last) => [last.startedAt, last._id]);
    return { items: page.items.map(view), nextCursor: page.nextCursor };
  }

  @Get(':id')
  async get(@Param('id') id: string, @Query() q: MinPositionQueryDto, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    await this.runtime.waitForProjection(ENTRIES_PROJECTION, q.minPosition);
    const doc = await this.runtime.db.collection<EntryDoc>(ENTRIES).findOne({ _id: id, ...scope(p) } as Filter<EntryDoc>);
    if (!doc) throw TimelogErrors.entryNotFound(`time entry ${id} not found`);
    setVersion(res, doc.version);
    return view(doc);
  }
}
