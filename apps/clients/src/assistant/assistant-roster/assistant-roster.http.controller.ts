import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiTags, IntersectionType } from '@nestjs/swagger';
import type { Money, WorkingHoursV1 } from '@vaops/contracts';
import {
  ResourceErrors,
  CurrentPrincipal,
  ForbiddenRoleError,
  MinPositionQueryDto,
  PageQueryDto,
  PersonKeys,
  decodeCursor,
  setVersion,
  toPage,
  type HeaderSink,
  type Page,
  type Principal,
} from '@vaops/platform';
import { EngagementDetails } from '../../engagement/engagement-details/engagement-details.projection';
import { revealPerson } from '../../people/reveal';
import { AssistantRoster, type AssistantRosterDoc } from './assistant-roster.projection';

export interface AssistantView {
  id: string;
  /** `[erased]` once the assistant is erased. */
  name: string;
  /** null once the assistant is erased. */
  email: string | null;
  /** Present (true) only once the person is erased. */
  erased?: true;
  timezone: string;
  weeklyCapacityHours: number;
  committedWeeklyHours: number;
  /** Clients the assistant has an active (or in-notice) engagement with; not shown to clients. */
  activeClients?: number;
  skills: string[];
  workingHours: WorkingHoursV1[];
  /** Only for the agency. */
  payRate?: Money;
  version: number;
}

class ListAssistantsQuery extends IntersectionType(PageQueryDto, MinPositionQueryDto) {}

const isId = (v: unknown): v is string => typeof v === 'string' && v.length <= 64;

async function toView(d: AssistantRosterDoc, p: Principal, keys: PersonKeys): Promise<AssistantView> {
  const view: AssistantView = {
    id: d._id,
    ...(await revealPerson(keys, d.name, d.email)),
    timezone: d.timezone,
    weeklyCapacityHours: d.weeklyCapacityHours,
    committedWeeklyHours: d.committedWeeklyHours,
    activeClients: new Set(Object.values(d.commitments ?? {}).map((c) => c.clientId)).size,
    skills: d.skills,
    workingHours: d.workingHours,
    version: d._v,
  };
  if (p.role === 'agency-admin') view.payRate = d.payRate;
  if (p.role === 'client') delete view.activeClients; // how many other clients they have is not the client's business
  return view;
}

@ApiTags('assistants')
@Controller('assistants')
export class AssistantRosterController {
  constructor(
    private readonly roster: AssistantRoster,
    private readonly engagements: EngagementDetails,
    private readonly keys: PersonKeys,
  ) {}

  /** The agency's roster; an assistant sees only themselves; a client may not list assistants. */
  @Get()
  async list(@Query() q: ListAssistantsQuery, @CurrentPrincipal() p: Principal): Promise<Page<AssistantView>> {
    if (p.role === 'client') throw new ForbiddenRoleError(p.role);
    await this.roster.waitFor(q.minPosition);
    const ids: { is?: string; after?: string } = {};
    if (p.role === 'assistant') ids.is = p.assistantId;
    if (q.cursor) ids.after = decodeCursor(q.cursor, isId);
    const rows = await this.roster.page(p.agencyId, ids, q.limit);
    return toPage(await Promise.all(rows.map((d) => toView(d, p, this.keys))), q.limit, (last) => last.id);
  }

  @Get(':id')
  async get(
    @Param('id') id: string,
    @Query() q: MinPositionQueryDto,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<AssistantView> {
    await this.roster.waitFor(q.minPosition);
    const doc = await this.roster.byId(p.agencyId, id);
    // A client sees the assistants working for it (never their pay rate); nobody else's.
    const engaged = p.role === 'client' && (await this.engagements.engages(p.agencyId, p.clientId, id));
    if (!doc || (p.role === 'client' && !engaged) || (p.role === 'assistant' && p.assistantId !== id)) {
      throw ResourceErrors.assistantNotFound(`assistant ${id} not found`);
    }
    setVersion(res, doc._v);
    return toView(doc, p, this.keys);
  }
}
