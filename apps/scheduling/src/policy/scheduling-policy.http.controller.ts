import { Body, Controller, Get, Headers, Param, Put, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { CurrentPrincipal, Roles, parseIfMatch, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { SchedulingFacts } from '../facts/clients-facts.projection';
import { visibleEngagement } from '../calendar/booking-context';
import { SchedulingPolicies } from './scheduling-policies';

export class SchedulingPolicyRequest {
  @ApiProperty({ description: "lets this engagement book outside the assistant's working hours" })
  @IsBoolean()
  allowOutsideWorkingHours!: boolean;
}

@ApiTags('engagements')
@Controller()
export class SchedulingPolicyController {
  constructor(
    private readonly facts: SchedulingFacts,
    private readonly policies: SchedulingPolicies,
  ) {}

  /** What scheduling knows of an engagement and its policy (404 until the engagement reached it). */
  @Get('engagements/:id/scheduling-policy')
  async get(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    const e = await visibleEngagement(this.facts, id, p);
    const policy = await this.policies.load(id, p.agencyId);
    return { engagementId: id, status: e.status, startsOn: e.startsOn, endsOn: e.endsOn, allowOutsideWorkingHours: policy?.state.allowOutsideWorkingHours ?? false, version: policy?.version ?? 0 };
  }

  @Put('engagements/:id/scheduling-policy')
  @Roles('agency-admin')
  async put(@Param('id') id: string, @Body() body: SchedulingPolicyRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    await visibleEngagement(this.facts, id, p);
    const r = await this.policies.execute(id, { type: 'SetPolicy', data: { engagementId: id, allowOutsideWorkingHours: body.allowOutsideWorkingHours } }, p, { expectedVersion: parseIfMatch(ifMatch) });
    setVersion(res, r.nextVersion);
    return { engagementId: id, allowOutsideWorkingHours: body.allowOutsideWorkingHours, version: r.nextVersion };
  }

  /** The agency's scheduling policies as this service last heard them from the clients service. */
  @Get('agency/scheduling-settings')
  async settings(@CurrentPrincipal() p: Principal) {
    return this.facts.agencyPolicies(p.agencyId);
  }
}
