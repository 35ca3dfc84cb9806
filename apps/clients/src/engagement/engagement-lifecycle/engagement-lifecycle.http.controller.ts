import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Put, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Clock } from '@vaops/event-sourcing';
import { ResourceErrors, CLOCK, CurrentPrincipal, ForbiddenRoleError, PersonKeys, Roles, ifMatchOrNothing, parseIfMatch, setVersion, type Current, type HeaderSink, type Principal } from '@vaops/platform';
import { Agencies } from '../../agency/agencies';
import { agencySettingsOf } from '../../agency/agency-settings';
import { Assistants } from '../../assistant/assistants';
import { Clients } from '../../client/clients';
import { localDate } from '../../shared/time';
import type { EngagementFacts, EngagementState } from '../engagement';
import type { EngagementCommand } from '../engagement.decider';
import { Engagements } from '../engagements';
import { toPlan } from '../plan.dto';
import { ChangePhaseRequest, ChangePlanRequest, LogCommunicationRequest, PartyReasonRequest, ReviewCadenceRequest } from './engagement-lifecycle.request.dto';

type Written = { id: string; position: number; version: number };


/** The engagement if the caller may see it; else 404. */
function visible(id: string, cur: Current<EngagementState> | null, p: Principal): EngagementFacts {
  const s = cur?.state;
  if (!s || s.status === 'none' || (p.role === 'client' && s.clientId !== p.clientId) || (p.role === 'assistant' && s.assistantId !== p.assistantId)) {
    throw ResourceErrors.engagementNotFound(`engagement ${id} not found`);
  }
  return s;
}

@ApiTags('engagements')
@Controller('engagements/:id')
export class EngagementLifecycleController {
  constructor(
    private readonly engagements: Engagements,
    private readonly assistants: Assistants,
    private readonly clients: Clients,
    private readonly agencies: Agencies,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly keys: PersonKeys,
  ) {}

  /**
   * Free text of the engagement, encrypted under its key (bound to its client and assistant: erasing
   * either makes it unreadable); once a party is erased, what is still recorded keeps no text.
   */
  private text(facts: EngagementFacts, text: string) {
    return this.keys.sealEngagementText(facts, text);
  }

  /** The agency's "today". */
  private async today(p: Principal): Promise<string> {
    const { timezone } = await agencySettingsOf(this.agencies, p.agencyId);
    return localDate(this.clock.now(), timezone);
  }

  /**
   * Decides the command `build` makes from the engagement, on the state it is decided on: 404 when the
   * caller may not see it (before any role check of `build`, and before a stale If-Match's 409).
   */
  private async run(id: string, p: Principal, ifMatch: string | undefined, res: HeaderSink, build: (facts: EngagementFacts) => EngagementCommand | Promise<EngagementCommand>): Promise<Written> {
    const expectedVersion = ifMatchOrNothing(ifMatch);
    const r = await this.engagements.execute(
      id,
      async (cur) => {
        const command = await build(visible(id, cur, p));
        parseIfMatch(ifMatch); // a malformed If-Match is a 400 after the 404 and 403 above, as it always was
        return command;
      },
      p,
      { expectedVersion },
    );
    setVersion(res, r.nextVersion);
    return { id, position: r.lastPosition, version: r.nextVersion };
  }

  /** Promotion or demotion: the agency or the client decides, with a reason. */
  @Post('phase')
  @HttpCode(200)
  @Roles('agency-admin', 'client')
  async phase(@Param('id') id: string, @Body() body: ChangePhaseRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    return this.run(id, p, ifMatch, res, async (facts) => ({ type: 'ChangePhase', data: { to: body.phase, reason: await this.text(facts, body.reason), decidedBy: { sub: p.sub, role: p.role }, now: this.clock.now().toISOString() } }));
  }

  /** Either side gives notice (the agency on behalf of either); it ends when the period has run. */
  @Post('notice')
  @HttpCode(200)
  async notice(@Param('id') id: string, @Body() body: PartyReasonRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const today = await this.today(p);
    return this.run(id, p, ifMatch, res, async (facts) => {
      if (p.role !== 'agency-admin' && p.role !== body.by) throw new ForbiddenRoleError(p.role);
      return { type: 'GiveNotice', data: { by: body.by, reason: await this.text(facts, body.reason), now: this.clock.now().toISOString(), today } };
    });
  }

  /** Ending without notice: only the agency records it, as a breach by one side. */
  @Post('breach')
  @HttpCode(200)
  async breach(@Param('id') id: string, @Body() body: PartyReasonRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const today = await this.today(p);
    let assistantId = '';
    const written = await this.run(id, p, ifMatch, res, async (facts) => {
      if (p.role !== 'agency-admin') throw new ForbiddenRoleError(p.role);
      assistantId = facts.assistantId;
      return { type: 'RecordBreach', data: { by: body.by, reason: await this.text(facts, body.reason), today } };
    });
    const released = await this.assistants.execute(assistantId, { type: 'ReleaseCommitment', data: { engagementId: id } }, p);
    // read-your-writes covers both appends: the engagement's end and the assistant's released hours
    return { ...written, position: Math.max(written.position, released.lastPosition) };
  }

  @Post('communications')
  @HttpCode(201)
  async communication(@Param('id') id: string, @Body() body: LogCommunicationRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const occurredAt = new Date(body.occurredAt).toISOString();
    return this.run(id, p, ifMatch, res, async (facts) => ({ type: 'LogCommunication', data: { channel: body.channel, occurredAt, summary: await this.text(facts, body.summary), now: this.clock.now().toISOString() } }));
  }

  /** A new plan from a date on; earlier periods keep the plan they had. */
  @Post('plan')
  @HttpCode(200)
  async plan(@Param('id') id: string, @Body() body: ChangePlanRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const today = await this.today(p);
    return this.run(id, p, ifMatch, res, async (facts) => {
      if (p.role !== 'agency-admin') throw new ForbiddenRoleError(p.role);
      const client = await this.clients.load(facts.clientId, p.agencyId);
      if (!client || client.state.status !== 'registered') throw ResourceErrors.clientNotFound('client not found');
      return { type: 'ChangePlan', data: { plan: toPlan(body.plan), effectiveOn: body.effectiveOn, clientCurrency: client.state.currency, today } };
    });
  }

  @Put('review-cadence')
  async reviewCadence(@Param('id') id: string, @Body() body: ReviewCadenceRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    return this.run(id, p, ifMatch, res, () => {
      if (p.role === 'assistant') throw new ForbiddenRoleError(p.role);
      return { type: 'SetReviewCadence', data: { everyDays: body.everyDays } };
    });
  }
}
