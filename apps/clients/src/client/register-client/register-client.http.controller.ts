import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { newId } from '@vaops/event-sourcing';
import { CurrentPrincipal, Roles, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { Clients } from '../clients';
import { RegisterClientRequest } from './register-client.request.dto';

@ApiTags('clients')
@Controller('clients')
export class RegisterClientController {
  constructor(private readonly clients: Clients) {}

  @Post()
  @Roles('agency-admin')
  @ApiCreatedResponse({ description: '{ id, position }: read with ?minPosition=position to see it at once' })
  async register(
    @Body() body: RegisterClientRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<{ id: string; position: number }> {
    const clientId = newId();
    const result = await this.clients.execute(clientId, { type: 'RegisterClient', data: { clientId, ...body } }, principal);
    res.setHeader('Location', `/clients/${clientId}`);
    setVersion(res, result.nextVersion);
    return { id: clientId, position: result.lastPosition };
  }
}
