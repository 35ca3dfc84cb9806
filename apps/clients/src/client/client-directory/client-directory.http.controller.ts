import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiTags, IntersectionType } from '@nestjs/swagger';
import {
  ResourceErrors,
  CurrentPrincipal,
  MinPositionQueryDto,
  PageQueryDto,
  decodeCursor,
  setVersion,
  toPage,
  type HeaderSink,
  type Page,
  type Principal,
} from '@vaops/platform';
import { RUNTIME, type Runtime } from '../../runtime';
import type { EngagementDoc } from '../../engagement/engagement-details/engagement-details.projection';
import { CLIENT_DIRECTORY, type ClientDirectoryDoc } from './client-directory.projection';

export interface ClientView {
  id: string;
  name: string;
  email: string;
  timezone: string;
  currency: string;
  version: number;
}

class ListClientsQuery extends IntersectionType(PageQueryDto, MinPositionQueryDto) {}

const toView = (d: ClientDirectoryDoc): ClientView => ({ id: d._id, name: d.name, email: d.email, timezone: d.timezone, currency: d.currency, version: d._v });
const isId = (v: unknown): v is string => typeof v === 'string' && v.length <= 64;

@ApiTags('clients')
@Controller('clients')
export class ClientDirectoryController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  private get directory() {
    return this.runtime.db.collection<ClientDirectoryDoc>('client_directory');
  }

  /** Clients an assistant has (or had) an engagement with. */
  private async clientsOf(assistantId: string, agencyId: string): Promise<string[]> {
    const rows = await this.runtime.db
      .collection<EngagementDoc>('engagement_details')
      .find({ agencyId, assistantId }, { projection: { clientId: 1 } })
      .toArray();
    return [...new Set(rows.map((r) => r.clientId))];
  }

  /** The agency sees all its clients; a client sees itself; an assistant the clients they work for. */
  @Get()
  async list(@Query() q: ListClientsQuery, @CurrentPrincipal() p: Principal): Promise<Page<ClientView>> {
    await this.runtime.waitForProjection(CLIENT_DIRECTORY, q.minPosition);
    const idFilter: Record<string, unknown> = {};
    if (p.role === 'client') idFilter.$eq = p.clientId;
    if (p.role === 'assistant') idFilter.$in = await this.clientsOf(p.assistantId, p.agencyId);
    if (q.cursor) idFilter.$gt = decodeCursor(q.cursor, isId);
    const filter: Record<string, unknown> = { agencyId: p.agencyId };
    if (Object.keys(idFilter).length > 0) filter._id = idFilter;
    const rows = await this.directory.find(filter).sort({ _id: 1 }).limit(q.limit + 1).toArray();
    return toPage(rows.map(toView), q.limit, (last) => last.id);
  }

  @Get(':id')
  async get(
    @Param('id') id: string,
    @Query() q: MinPositionQueryDto,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ClientView> {
    await this.runtime.waitForProjection(CLIENT_DIRECTORY, q.minPosition);
    const doc = await this.directory.findOne({ _id: id, agencyId: p.agencyId });
    // Another agency's client, another client, or a client the assistant does not work for: not found.
    const hidden = (p.role === 'client' && p.clientId !== id) || (p.role === 'assistant' && !(await this.clientsOf(p.assistantId, p.agencyId)).includes(id));
    if (!doc || hidden) {
      throw ResourceErrors.clientNotFound(`client ${id} not found`);
    }
    setVersion(res, doc._v);
    return toView(doc);
  }
}
