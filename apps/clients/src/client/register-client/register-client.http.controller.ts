import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { newId } from '@vaops/event-sourcing';
import { CurrentPrincipal, Roles, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { RUNTIME, type Runtime } from '../../runtime';
import { clientStreamId } from '../client';
import { clientDecider } from '../client.decider';
import { RegisterClientRequest } from './register-client.request.dto';

@ApiTags('clients')
@Controller('clients')
export class RegisterClientController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  @Post()
  @Roles('agency-admin')
  @ApiCreatedResponse({ description: '{ id, position }: read with ?minPosition=position to see it at once' })
  async register(
    @Body() body: RegisterClientRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<{ id: string; position: number }> {
    const clientId = newId();
    const result = await this.runtime.execute(clientDecider, clientStreamId(clientId), { type: 'RegisterClient', data: { clientId, ...body } }, principal);
    res.setHeader('Location', `/clients/${clientId}`);
    setVersion(res, result.nextVersion);
    return { id: clientId, position: result.lastPosition };
  }
}
