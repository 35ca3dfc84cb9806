import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { newId } from '@vaops/event-sourcing';
import { CurrentPrincipal, Roles, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { RUNTIME, type Runtime } from '../../runtime';
import { assistantStreamId } from '../assistant';
import { assistantDecider } from '../assistant.decider';
import { RegisterAssistantRequest } from './register-assistant.request.dto';

const DEFAULT_WORKING_HOURS = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));

@ApiTags('assistants')
@Controller('assistants')
export class RegisterAssistantController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  @Post()
  @Roles('agency-admin')
  @ApiCreatedResponse({ description: '{ id, position }' })
  async register(
    @Body() body: RegisterAssistantRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<{ id: string; position: number }> {
    const assistantId = newId();
    const data = {
      assistantId,
      name: body.name,
      email: body.email,
      timezone: body.timezone,
      weeklyCapacityHours: body.weeklyCapacityHours,
      skills: body.skills,
      payRate: { amountMinor: body.payRate.amountMinor, currency: body.payRate.currency },
      workingHours: (body.workingHours ?? DEFAULT_WORKING_HOURS).map((w) => ({ day: w.day, start: w.start, end: w.end })),
    };
    const result = await this.runtime.execute(assistantDecider, assistantStreamId(assistantId), { type: 'RegisterAssistant', data }, principal);
    res.setHeader('Location', `/assistants/${assistantId}`);
    setVersion(res, result.nextVersion);
    return { id: assistantId, position: result.lastPosition };
  }
}
