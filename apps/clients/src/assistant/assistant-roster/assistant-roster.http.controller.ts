import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiTags, IntersectionType } from '@nestjs/swagger';
import type { Money, WorkingHoursV1 } from '@vaops/contracts';
import {
  ResourceErrors,
  CurrentPrincipal,
  ForbiddenRoleError,
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
import { ASSISTANT_ROSTER, type AssistantRosterDoc } from './assistant-roster.projection';

export interface AssistantView {
  id: string;
  name: string;
  email: string;
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

function toView(d: AssistantRosterDoc, p: Principal): AssistantView {
  const view: AssistantView = {
    id: d._id,
    name: d.name,
    email: d.email,
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
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  private get roster() {
    return this.runtime.db.collection<AssistantRosterDoc>('assistant_roster');
  }

  /** The agency's roster; an assistant sees only themselves; a client may not list assistants. */
  @Get()
  async list(@Query() q: ListAssistantsQuery, @CurrentPrincipal() p: Principal): Promise<Page<AssistantView>> {
    if (p.role === 'client') throw new ForbiddenRoleError(p.role);
    await this.runtime.waitForProjection(ASSISTANT_ROSTER, q.minPosition);
    const idFilter: Record<string, unknown> = {};
    if (p.role === 'assistant') idFilter.$eq = p.assistantId;
    if (q.cursor) idFilter.$gt = decodeCursor(q.cursor, isId);
    const filter: Record<string, unknown> = { agencyId: p.agencyId };
    if (Object.keys(idFilter).length > 0) filter._id = idFilter;
    const rows = await this.roster.find(filter).sort({ _id: 1 }).limit(q.limit + 1).toArray();
    return toPage(rows.map((d) => toView(d, p)), q.limit, (last) => last.id);
  }

  @Get(':id')
  async get(
    @Param('id') id: string,
    @Query() q: MinPositionQueryDto,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<AssistantView> {
    await this.runtime.waitForProjection(ASSISTANT_ROSTER, q.minPosition);
    const doc = await this.roster.findOne({ _id: id, agencyId: p.agencyId });
    // A client sees the assistants working for it (never their pay rate); nobody else's.
    const engaged = p.role === 'client' && (await this.runtime.db.collection('engagement_details').countDocuments({ agencyId: p.agencyId, clientId: p.clientId, assistantId: id })) > 0;
    if (!doc || (p.role === 'client' && !engaged) || (p.role === 'assistant' && p.assistantId !== id)) {
      throw ResourceErrors.assistantNotFound(`assistant ${id} not found`);
    }
    setVersion(res, doc._v);
    return toView(doc, p);
  }
}
