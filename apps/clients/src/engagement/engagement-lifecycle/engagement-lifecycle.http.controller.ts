import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Put, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Clock } from '@vaops/event-sourcing';
import { ResourceErrors, CLOCK, CurrentPrincipal, ForbiddenRoleError, Roles, parseIfMatch, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { RUNTIME, type Runtime } from '../../runtime';
import { agencySettingsOf } from '../../agency/agency-settings';
import { assistantStreamId } from '../../assistant/assistant';
import { assistantDecider } from '../../assistant/assistant.decider';
import { clientStreamId } from '../../client/client';
import { clientDecider } from '../../client/client.decider';
import { localDate } from '../../shared/time';
import { engagementStreamId, type EngagementFacts } from '../engagement';
import { engagementDecider, type EngagementCommand } from '../engagement.decider';
import { toPlan } from '../plan.dto';
import { ChangePhaseRequest, ChangePlanRequest, LogCommunicationRequest, PartyReasonRequest, ReviewCadenceRequest } from './engagement-lifecycle.request.dto';

type Written = { id: string; position: number; version: number };

@ApiTags('engagements')
@Controller('engagements/:id')
export class EngagementLifecycleController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The engagement if the caller may see it (else 404), and the agency's "today". */
  private async visible(id: string, p: Principal): Promise<{ facts: EngagementFacts; today: string; zone: string }> {
    const loaded = await this.runtime.loadOwned(engagementDecider, engagementStreamId(id), p.agencyId);
    const s = loaded?.state;
    if (!s || s.status === 'none' || (p.role === 'client' && s.clientId !== p.clientId) || (p.role === 'assistant' && s.assistantId !== p.assistantId)) {
      throw ResourceErrors.engagementNotFound(`engagement ${id} not found`);
    }
    const { timezone } = await agencySettingsOf(this.runtime, p.agencyId);
    return { facts: s, today: localDate(this.clock.now(), timezone), zone: timezone };
  }

  private async run(id: string, command: EngagementCommand, p: Principal, ifMatch: string | undefined, res: HeaderSink): Promise<Written> {
    const r = await this.runtime.execute(engagementDecider, engagementStreamId(id), command, p, { expectedVersion: parseIfMatch(ifMatch) });
    setVersion(res, r.nextVersion);
    return { id, position: r.lastPosition, version: r.nextVersion };
  }

  /** Promotion or demotion: the agency or the client decides, with a reason. */
  @Post('phase')
  @HttpCode(200)
  @Roles('agency-admin', 'client')
  async phase(@Param('id') id: string, @Body() body: ChangePhaseRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    await this.visible(id, p);
    return this.run(id, { type: 'ChangePhase', data: { to: body.phase, reason: body.reason, decidedBy: { sub: p.sub, role: p.role }, now: this.clock.now().toISOString() } }, p, ifMatch, res);
  }

  /** Either side gives notice (the agency on behalf of either); it ends when the period has run. */
  @Post('notice')
  @HttpCode(200)
  async notice(@Param('id') id: string, @Body() body: PartyReasonRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const { today } = await this.visible(id, p);
    if (p.role !== 'agency-admin' && p.role !== body.by) throw new ForbiddenRoleError(p.role);
    return this.run(id, { type: 'GiveNotice', data: { by: body.by, reason: body.reason, now: this.clock.now().toISOString(), today } }, p, ifMatch, res);
  }

  /** Ending without notice: only the agency records it, as a breach by one side. */
  @Post('breach')
  @HttpCode(200)
  async breach(@Param('id') id: string, @Body() body: PartyReasonRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const { facts, today } = await this.visible(id, p);
    if (p.role !== 'agency-admin') throw new ForbiddenRoleError(p.role);
    const written = await this.run(id, { type: 'RecordBreach', data: { by: body.by, reason: body.reason, today } }, p, ifMatch, res);
    const released = await this.runtime.execute(assistantDecider, assistantStreamId(facts.assistantId), { type: 'ReleaseCommitment', data: { engagementId: id } }, p);
    // read-your-writes covers both appends: the engagement's end and the assistant's released hours
    return { ...written, position: Math.max(written.position, released.lastPosition) };
  }

  @Post('communications')
  @HttpCode(201)
  async communication(@Param('id') id: string, @Body() body: LogCommunicationRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    await this.visible(id, p);
    const occurredAt = new Date(body.occurredAt).toISOString();
    return this.run(id, { type: 'LogCommunication', data: { channel: body.channel, occurredAt, summary: body.summary, now: this.clock.now().toISOString() } }, p, ifMatch, res);
  }

  /** A new plan from a date on; earlier periods keep the plan they had. */
  @Post('plan')
  @HttpCode(200)
  async plan(@Param('id') id: string, @Body() body: ChangePlanRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const { facts, today } = await this.visible(id, p);
    if (p.role !== 'agency-admin') throw new ForbiddenRoleError(p.role);
    const client = await this.runtime.loadOwned(clientDecider, clientStreamId(facts.clientId), p.agencyId);
    if (!client || client.state.status !== 'registered') throw ResourceErrors.clientNotFound('client not found');
    return this.run(id, { type: 'ChangePlan', data: { plan: toPlan(body.plan), effectiveOn: body.effectiveOn, clientCurrency: client.state.currency, today } }, p, ifMatch, res);
  }

  @Put('review-cadence')
  async reviewCadence(@Param('id') id: string, @Body() body: ReviewCadenceRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    await this.visible(id, p);
    if (p.role === 'assistant') throw new ForbiddenRoleError(p.role);
    return this.run(id, { type: 'SetReviewCadence', data: { everyDays: body.everyDays } }, p, ifMatch, res);
  }
}
