import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiTags, IntersectionType } from '@nestjs/swagger';
import {
  ResourceErrors,
  CurrentPrincipal,
  MinPositionQueryDto,
  PersonKeys,
  PageQueryDto,
  decodeCursor,
  setVersion,
  toPage,
  type HeaderSink,
  type Page,
  type Principal,
} from '@vaops/platform';
import { EngagementDetails } from '../../engagement/engagement-details/engagement-details.projection';
import { revealPerson } from '../../people/reveal';
import { ClientDirectory, type ClientDirectoryDoc, type ClientIds } from './client-directory.projection';

export interface ClientView {
  id: string;
  /** `[erased]` once the client contact is erased. */
  name: string;
  /** null once the client contact is erased. */
  email: string | null;
  /** Present (true) only once the person is erased. */
  erased?: true;
  timezone: string;
  currency: string;
  version: number;
}

class ListClientsQuery extends IntersectionType(PageQueryDto, MinPositionQueryDto) {}

/** The view, its name and email decrypted with the client's key: an erased client reads `{name: "[erased]", email: null, erased: true}`. */
async function toView(d: ClientDirectoryDoc, keys: PersonKeys): Promise<ClientView> {
  const person = await revealPerson(keys, d.name, d.email);
  return { id: d._id, ...person, timezone: d.timezone, currency: d.currency, version: d._v };
}
const isId = (v: unknown): v is string => typeof v === 'string' && v.length <= 64;

@ApiTags('clients')
@Controller('clients')
export class ClientDirectoryController {
  constructor(
    private readonly directory: ClientDirectory,
    private readonly engagements: EngagementDetails,
    private readonly keys: PersonKeys,
  ) {}

  /** The agency sees all its clients; a client sees itself; an assistant the clients they work for. */
  @Get()
  async list(@Query() q: ListClientsQuery, @CurrentPrincipal() p: Principal): Promise<Page<ClientView>> {
    await this.directory.waitFor(q.minPosition);
    const ids: ClientIds = {};
    if (p.role === 'client') ids.is = p.clientId;
    if (p.role === 'assistant') ids.in = await this.engagements.clientsOfAssistant(p.agencyId, p.assistantId);
    if (q.cursor) ids.after = decodeCursor(q.cursor, isId);
    const rows = await this.directory.page(p.agencyId, ids, q.limit);
    return toPage(await Promise.all(rows.map((d) => toView(d, this.keys))), q.limit, (last) => last.id);
  }

  @Get(':id')
  async get(
    @Param('id') id: string,
    @Query() q: MinPositionQueryDto,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ClientView> {
    await this.directory.waitFor(q.minPosition);
    const doc = await this.directory.byId(p.agencyId, id);
    // Another agency's client, another client, or a client the assistant does not work for: not found.
    const hidden = (p.role === 'client' && p.clientId !== id) || (p.role === 'assistant' && !(await this.engagements.clientsOfAssistant(p.agencyId, p.assistantId)).includes(id));
    if (!doc || hidden) {
      throw ResourceErrors.clientNotFound(`client ${id} not found`);
    }
    setVersion(res, doc._v);
    return toView(doc, this.keys);
  }
}
