import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ERASED_NAME, type EngagementStartedV1 } from '@vaops/contracts';
import { newId, type Clock } from '@vaops/event-sourcing';
import { CLOCK, CurrentPrincipal, ForbiddenRoleError, MinPositionQueryDto, PersonKeys, ResourceErrors, Roles, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { Agencies } from '../../agency/agencies';
import { agencySettingsOf } from '../../agency/agency-settings';
import { Assistants } from '../../assistant/assistants';
import { Clients } from '../../client/clients';
import { localDate } from '../../shared/time';
import { planOn, type EngagementFacts, type EngagementState } from '../engagement';
import { engagementDecider, type EngagementCommand } from '../engagement.decider';
import { HandoverErrors } from '../engagement.errors';
import { Engagements } from '../engagements';
import { HandoverPlans, type HandoverPlanDoc } from './handover-plans.projection';
import { CancelHandoverRequest, PlanHandoverRequest } from './handover.request.dto';

const notFound = (id: string) => ResourceErrors.engagementNotFound(`engagement ${id} not found`);

/** What GET /engagements/:id/handover answers. */
export function handoverView(d: HandoverPlanDoc) {
  return {
    engagementId: d.engagementId,
    newEngagementId: d._id,
    clientId: d.clientId,
    outgoingAssistantId: d.outgoingAssistantId,
    replacementAssistantId: d.replacementAssistantId,
    handoverOn: d.handoverOn,
    startingPhase: d.startingPhase,
    endsOn: d.endsOn,
    plannedAt: d.plannedAt,
    status: d.status,
    cancelled: d.cancelled ?? null,
    // null until the scheduling service has moved the appointments
    appointments: d.appointments ?? null,
    unwound: d.unwound ?? null,
  };
}

/**
 * Handing an engagement in notice over to a replacement. The plan is decided on the outgoing
 * engagement's stream; the replacement's hours are reserved on their assistant stream first, exactly
 * as POST /engagements does (capacity and full-time exclusivity at its version), and the new
 * engagement is started from that reservation (the scheduler rolls it forward should the process die
 * in between). The scheduling service moves the appointments when it hears HandoverPlanned.
 */
@ApiTags('engagements')
@Controller('engagements/:id/handover')
export class HandoverController {
  constructor(
    private readonly engagements: Engagements,
    private readonly assistants: Assistants,
    private readonly clients: Clients,
    private readonly agencies: Agencies,
    private readonly plans: HandoverPlans,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly keys: PersonKeys,
  ) {}

  private async today(agencyId: string): Promise<string> {
    const { timezone } = await agencySettingsOf(this.agencies, agencyId);
    return localDate(this.clock.now(), timezone);
  }

  @Post()
  @Roles('agency-admin')
  @ApiCreatedResponse({ description: '{ id: the replacement engagement, position }' })
  async plan(@Param('id') id: string, @Body() body: PlanHandoverRequest, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderSink): Promise<{ id: string; position: number }> {
    const today = await this.today(p.agencyId);
    const now = this.clock.now().toISOString();
    const newEngagementId = newId();
    let start: EngagementStartedV1 | undefined;
    let clientCurrency = '';
    let reserved = false;
    const plan = { type: 'PlanHandover' as const, data: { newEngagementId, replacementAssistantId: body.replacementAssistantId, handoverOn: body.handoverOn, startingPhase: body.startingPhase, today, now } };
    let planned;
    try {
      planned = await this.engagements.execute(
        id,
        async (cur) => {
          const s = cur?.state;
          if (!s || s.status === 'none') throw notFound(id);
          // the engagement's own rules first, so a refused handover reserves no hours
          const retried = engagementDecider.decide(plan, s).length === 0;
          if (!clientCurrency) {
            const client = await this.clients.load(s.clientId, p.agencyId);
            if (!client || client.state.status !== 'registered') throw ResourceErrors.clientNotFound('client not found');
            clientCurrency = client.state.currency;
          }
          const reservation: EngagementStartedV1 = {
            engagementId: newEngagementId,
            clientId: s.clientId,
            assistantId: body.replacementAssistantId,
            kind: s.kind,
            weeklyHours: s.weeklyHours,
            startsOn: body.handoverOn,
            noticePeriodDays: s.noticePeriodDays,
            phase: body.startingPhase,
            plan: planOn(s, body.handoverOn),
            handoverOf: id,
          };
          start = reservation;
          if (!reserved && !retried) {
            await this.assistants.execute(
              body.replacementAssistantId,
              async (assistant) => {
                if (!assistant || assistant.state.status !== 'registered') throw ResourceErrors.assistantNotFound(`assistant ${body.replacementAssistantId} not found`);
                // the reason for going over capacity, encrypted under the new engagement's key (its client and the replacement)
                const reason = body.capacityOverrideReason ? await this.keys.sealEngagementText(reservation, body.capacityOverrideReason) : null;
                return { type: 'ReserveCommitment', data: { start: reservation, capacityOverrideReason: reason } };
              },
              p,
            );
            reserved = true;
          }
          return plan;
        },
        p,
      );
    } catch (err) {
      // a plan refused after the hours were reserved (a concurrent handover won) releases them
      if (reserved) await this.assistants.execute(body.replacementAssistantId, { type: 'ReleaseCommitment', data: { engagementId: newEngagementId } }, p);
      throw err;
    }
    let position = planned.lastPosition;
    if (start) {
      const started = await this.engagements.execute(newEngagementId, { type: 'StartEngagement', data: { ...start, clientCurrency } }, p, { fresh: true });
      position = Math.max(position, started.lastPosition);
    }
    res.setHeader('Location', `/engagements/${id}/handover`);
    setVersion(res, planned.nextVersion);
    return { id: newEngagementId, position };
  }

  /**
   * The withdrawal: the agency, or the replacement assistant, before the handover day. The plan shows
   * cancelled, the replacement engagement ends on its first day without having started and releases
   * its hours; the scheduling service gives the appointments back. A retry finishes a withdrawal that
   * died half-way (each step turns into nothing once done).
   */
  @Post('cancel')
  @HttpCode(200)
  async cancel(@Param('id') id: string, @Body() body: CancelHandoverRequest, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    const today = await this.today(p.agencyId);
    const now = this.clock.now().toISOString();
    let handover: NonNullable<EngagementFacts['handover']> | undefined;
    let clientId = '';
    const cancelled = await this.engagements.execute(
      id,
      async (cur) => {
        const s = mayCancel(id, cur?.state, p);
        handover = s.handover!;
        clientId = s.clientId;
        // the reason is encrypted under the engagement's key, bound to its client and assistant
        const reason = await this.keys.sealEngagementText(s, body.reason);
        const command: EngagementCommand = { type: 'CancelHandover', data: { by: p.role === 'assistant' ? 'assistant' : 'agency', reason, today, now } };
        return command;
      },
      p,
    );
    const h = handover!;
    // and on the replacement engagement under its own key (its client and the replacement assistant)
    const reason = await this.keys.sealEngagementText({ engagementId: h.newEngagementId, clientId, assistantId: h.replacementAssistantId }, `handover cancelled: ${body.reason}`);
    const ended = await this.engagements.execute(h.newEngagementId, { type: 'WithdrawBeforeStart', data: { reason, today } }, p);
    const released = await this.assistants.execute(h.replacementAssistantId, { type: 'ReleaseCommitment', data: { engagementId: h.newEngagementId } }, p);
    setVersion(res, cancelled.nextVersion);
    return { id, position: Math.max(cancelled.lastPosition, ended.lastPosition, released.lastPosition) };
  }

  /** The plan, the moved appointments and the conflicts: the agency, the engagement's client and both assistants. */
  @Get()
  async get(@Param('id') id: string, @Query() q: MinPositionQueryDto, @CurrentPrincipal() p: Principal) {
    await this.plans.waitFor(q.minPosition);
    const doc = await this.plans.latestOf(p.agencyId, id);
    const sees =
      !!doc &&
      (p.role === 'agency-admin' ||
        (p.role === 'client' && doc.clientId === p.clientId) ||
        (p.role === 'assistant' && (doc.outgoingAssistantId === p.assistantId || doc.replacementAssistantId === p.assistantId)));
    if (!doc || !sees) throw HandoverErrors.notFound(`engagement ${id} has no handover`);
    // the withdrawal's reason is encrypted under the engagement's key: `[erased]` once a party is erased
    return this.keys.revealAll(handoverView(doc), ERASED_NAME);
  }
}

/** The outgoing engagement, if the caller may withdraw its handover: the agency, or the replacement assistant. */
function mayCancel(id: string, s: EngagementState | undefined, p: Principal): EngagementFacts {
  if (!s || s.status === 'none') throw notFound(id);
  const replacement = s.handover?.replacementAssistantId;
  if (p.role === 'agency-admin') return s;
  if (p.role === 'assistant' && (p.assistantId === s.assistantId || p.assistantId === replacement)) {
    // the outgoing assistant may see the engagement but not withdraw its replacement
    if (p.assistantId !== replacement) throw new ForbiddenRoleError(p.role);
    return s;
  }
  if (p.role === 'client' && p.clientId === s.clientId) throw new ForbiddenRoleError(p.role);
  throw notFound(id);
}

