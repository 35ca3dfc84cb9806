import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Clock } from '@vaops/event-sourcing';
import { ResourceErrors, CLOCK, CurrentPrincipal, PageQueryDto, decodeCursor, mayViewParties, partyScope, toPage, type Page, type Principal } from '@vaops/platform';
import { localDate } from '@vaops/contracts';
import { AnalyticsFacts } from '../facts/clients-facts.projection';
import { isId } from '../shared/query';
import { tenureOf, type TenureView } from './tenure';

class EngagementsQuery extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  assistantId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  clientId?: string;
}

@ApiTags('analytics')
@Controller('analytics/engagements')
export class EngagementsController {
  constructor(
    private readonly facts: AnalyticsFacts,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private async today(agencyId: string): Promise<string> {
    return localDate(this.clock.now(), await this.facts.agencyZone(agencyId));
  }

  /** Tenure and phase progression of every engagement the caller may see, by engagement id. */
  @Get()
  async list(@Query() q: EngagementsQuery, @CurrentPrincipal() p: Principal): Promise<Page<TenureView>> {
    const scope = partyScope(q, p);
    if (!scope) return { items: [], nextCursor: null };
    const rows = await this.facts.engagementsPage({ ...scope, after: q.cursor ? decodeCursor(q.cursor, isId) : undefined }, q.limit);
    const today = await this.today(p.agencyId);
    return toPage(rows.map((d) => tenureOf(d, today)), q.limit, (last) => last.engagementId);
  }

  @Get(':id/tenure')
  async tenure(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<TenureView> {
    const d = await this.facts.engagement(p.agencyId, id);
    if (!d || !mayViewParties(d, p)) throw ResourceErrors.engagementNotFound(`engagement ${id} not found`);
    return tenureOf(d, await this.today(p.agencyId));
  }
}
