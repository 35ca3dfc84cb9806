import { Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, type Clock } from '@vaops/event-sourcing';
import { CLOCK, CurrentPrincipal, PersonKeys, Roles, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { Assistants } from '../../assistant/assistants';
import { Clients } from '../../client/clients';
import { PeopleErrors } from '../people.errors';

export interface ErasureAnswer {
  id: string;
  kind: 'client' | 'assistant';
  erasedAt: string;
  position: number;
}

/**
 * `POST /people/:id/erasure` (GDPR Art. 17): a client contact or an assistant of the agency is erased.
 * `PersonErased` is recorded on their stream (no personal data), then their key is destroyed: every
 * copy of their name and email (events, Kafka log, read models, backups) becomes unreadable, while
 * ids, amounts, hours and dates stay. 202: other services show them as erased once they have heard the
 * event (their key is gone at once; a process that cached it forgets it on the event, within 60 s at worst).
 */
@ApiTags('people')
@Controller('people')
export class ErasePersonController {
  constructor(
    private readonly clients: Clients,
    private readonly assistants: Assistants,
    private readonly keys: PersonKeys,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post(':id/erasure')
  @HttpCode(202)
  @Roles('agency-admin')
  @ApiAcceptedResponse({ description: '{ id, kind, erasedAt, position }: read with ?minPosition=position to see the erasure' })
  async erase(@Param('id') id: string, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderSink): Promise<ErasureAnswer> {
    const erasedAt = this.clock.now().toISOString();
    const command = { type: 'ErasePerson' as const, data: { erasedAt } };
    // the id is a client's or an assistant's (another agency's streams load as missing: 404 either way)
    const known = <S>(current: S | null) => {
      if (!current) throw PeopleErrors.notFound(`no client or assistant ${id}`);
      return command;
    };
    const attempt = (kind: 'client' | 'assistant') => (kind === 'client' ? this.clients.execute(id, known, p) : this.assistants.execute(id, known, p));
    let kind: 'client' | 'assistant' = 'client';
    try {
      let result;
      try {
        result = await attempt('client');
      } catch (err) {
        if (!(err instanceof DomainError && err.code === PeopleErrors.notFound.code)) throw err;
        kind = 'assistant';
        result = await attempt('assistant');
      }
      // recorded first, then the key goes: a crash in between is finished by a retry (409 below, key destroyed)
      await this.keys.erase(id, p.sub);
      setVersion(res, result.nextVersion);
      return { id, kind, erasedAt, position: result.lastPosition };
    } catch (err) {
      if (err instanceof DomainError && err.code === PeopleErrors.alreadyErased.code) await this.keys.erase(id, p.sub);
      throw err;
    }
  }
}
