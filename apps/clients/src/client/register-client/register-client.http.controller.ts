import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { newId } from '@vaops/event-sourcing';
import { CurrentPrincipal, PersonKeys, Roles, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { Clients } from '../clients';
import { RegisterClientRequest } from './register-client.request.dto';

@ApiTags('clients')
@Controller('clients')
export class RegisterClientController {
  constructor(
    private readonly clients: Clients,
    private readonly keys: PersonKeys,
  ) {}

  @Post()
  @Roles('agency-admin')
  @ApiCreatedResponse({ description: '{ id, position }: read with ?minPosition=position to see it at once' })
  async register(
    @Body() body: RegisterClientRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<{ id: string; position: number }> {
    const clientId = newId();
    // the client's key is created here; the event, the log and every read model hold only the ciphertext
    const { name, email, ...rest } = body;
    await this.keys.create(clientId);
    const data = { clientId, ...rest, name: await this.keys.seal(clientId, name), email: await this.keys.seal(clientId, email) };
    const result = await this.clients.execute(clientId, { type: 'RegisterClient', data }, principal, { fresh: true });
    res.setHeader('Location', `/clients/${clientId}`);
    setVersion(res, result.nextVersion);
    return { id: clientId, position: result.lastPosition };
  }
}
