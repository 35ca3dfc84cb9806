import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { newId } from '@vaops/event-sourcing';
import { ResourceErrors, CurrentPrincipal, PersonKeys, Roles, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import type { EngagementStartedV1 } from '@vaops/contracts';
import { Assistants } from '../../assistant/assistants';
import { Clients } from '../../client/clients';
import { initialEngagementState } from '../engagement';
import { engagementDecider } from '../engagement.decider';
import { Engagements } from '../engagements';
import { toPlan } from '../plan.dto';
import { StartEngagementRequest } from './start-engagement.request.dto';

/**
 * Creating an engagement is two appends: the assistant's stream first (capacity and exclusivity are
 * decided there, at its version, so concurrent creations for one assistant cannot both pass), then the
 * engagement's own stream. If the process dies in between, the scheduler rolls the creation forward
 * from the reservation, which carries the whole start.
 */
@ApiTags('engagements')
@Controller('engagements')
export class StartEngagementController {
  constructor(
    private readonly engagements: Engagements,
    private readonly assistants: Assistants,
    private readonly clients: Clients,
    private readonly keys: PersonKeys,
  ) {}

  /** The agency's reason for going over capacity, encrypted under the new engagement's key (bound to its client and assistant). */
  private overrideReason(start: EngagementStartedV1, reason: string | undefined) {
    return reason ? this.keys.sealEngagementText(start, reason) : null;
  }

  @Post()
  @Roles('agency-admin')
  @ApiCreatedResponse({ description: '{ id, position }' })
  async start(
    @Body() body: StartEngagementRequest,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<{ id: string; position: number }> {
    const client = await this.clients.load(body.clientId, p.agencyId);
    if (!client || client.state.status !== 'registered') throw ResourceErrors.clientNotFound(`client ${body.clientId} not found`);

    const engagementId = newId();
    const start: EngagementStartedV1 = {
      engagementId,
      clientId: body.clientId,
      assistantId: body.assistantId,
      kind: body.kind,
      weeklyHours: body.weeklyHours,
      startsOn: body.startsOn,
      noticePeriodDays: body.noticePeriodDays,
      phase: body.phase ?? null,
      plan: toPlan(body.plan),
    };
    const startCommand = { type: 'StartEngagement' as const, data: { ...start, clientCurrency: client.state.currency } };
    const result = await this.engagements.execute(
      engagementId,
      async (engagement) => {
        // A retried request whose engagement exists reserves nothing: the assistant may have released it since.
        if (engagement) return startCommand;
        await this.assistants.execute(
          body.assistantId,
          async (assistant) => {
            if (!assistant || assistant.state.status !== 'registered') throw ResourceErrors.assistantNotFound(`assistant ${body.assistantId} not found`);
            // The engagement's own rules first (currency), so a refused plan reserves no hours.
            engagementDecider.decide(startCommand, initialEngagementState());
            return { type: 'ReserveCommitment', data: { start, capacityOverrideReason: await this.overrideReason(start, body.capacityOverrideReason) } };
          },
          p,
        );
        return startCommand;
      },
      p,
      { fresh: true },
    );
    res.setHeader('Location', `/engagements/${engagementId}`);
    setVersion(res, result.nextVersion);
    return { id: engagementId, position: result.lastPosition };
  }
}
