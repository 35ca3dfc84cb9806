import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { newId } from '@vaops/event-sourcing';
import { CurrentPrincipal, PersonKeys, Roles, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { Assistants } from '../assistants';
import { RegisterAssistantRequest } from './register-assistant.request.dto';

const DEFAULT_WORKING_HOURS = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));

@ApiTags('assistants')
@Controller('assistants')
export class RegisterAssistantController {
  constructor(
    private readonly assistants: Assistants,
    private readonly keys: PersonKeys,
  ) {}

  @Post()
  @Roles('agency-admin')
  @ApiCreatedResponse({ description: '{ id, position }' })
  async register(
    @Body() body: RegisterAssistantRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<{ id: string; position: number }> {
    const assistantId = newId();
    // the assistant's key is created here; the event, the log and every read model hold only the ciphertext
    await this.keys.create(assistantId);
    const data = {
      assistantId,
      name: await this.keys.seal(assistantId, body.name),
      email: await this.keys.seal(assistantId, body.email),
      timezone: body.timezone,
      weeklyCapacityHours: body.weeklyCapacityHours,
      skills: body.skills,
      payRate: { amountMinor: body.payRate.amountMinor, currency: body.payRate.currency },
      workingHours: (body.workingHours ?? DEFAULT_WORKING_HOURS).map((w) => ({ day: w.day, start: w.start, end: w.end })),
    };
    const result = await this.assistants.execute(assistantId, { type: 'RegisterAssistant', data }, principal, { fresh: true });
    res.setHeader('Location', `/assistants/${assistantId}`);
    setVersion(res, result.nextVersion);
    return { id: assistantId, position: result.lastPosition };
  }
}
