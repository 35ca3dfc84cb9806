// A tiny feature that exercises every platform rule the way a service controller would.
import { Body, Controller, Get, Headers, Inject, Module, Param, Post, Put, Query, Res } from '@nestjs/common';
import { DomainError, newId, type Clock, type DomainErrorKind } from '@vaops/event-sourcing';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsString, Min, ValidateNested } from 'class-validator';
import { CurrentPrincipal, Public, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import type { HttpResponse } from '../http/http-types';
import { decodeCursor, PageQueryDto } from '../http/pagination';
import { MinPositionQueryDto, waitFor } from '../http/read-after-write';
import { parseIfMatch, setVersion } from '../http/versioning';
import { currentCorrelationId } from '../logging/correlation';
import { CLOCK } from '../tokens';

export class MoneyDto {
  @IsInt() @Min(0) amountMinor!: number;
  @IsIn(['USD', 'EUR']) currency!: string;
}

export class CreateThingDto {
  @IsString() name!: string;
  @IsObject() @ValidateNested() @Type(() => MoneyDto) payRate!: MoneyDto;
}

/** The read model's position; tests move it to exercise ?minPosition=. */
export const readModel = { position: 0 };

@Controller('things')
export class ThingsController {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  @Public()
  @Get('public')
  open(): { ok: true } {
    return { ok: true };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('correlation')
  async correlation(): Promise<{ correlationId: string | undefined }> {
    await new Promise((resolve) => setTimeout(resolve, 5)); // across an async hop
    return { correlationId: currentCorrelationId() };
  }

  @Get('now')
  now(): { now: string } {
    return { now: this.clock.now().toISOString() };
  }

  @Get('errors/:kind')
  fail(@Param('kind') kind: string): never {
    if (kind === 'crash') throw new Error('connection string mongodb://user:pw@db leaked?');
    throw new DomainError(`THING.${kind.toUpperCase()}`, kind as DomainErrorKind, `thing is ${kind}`);
  }

  @Get('behind')
  async behind(@Query() query: MinPositionQueryDto): Promise<{ position: number }> {
    const min = query.minPosition;
    if (min !== undefined) await waitFor(async () => readModel.position >= min, 200);
    return { position: readModel.position };
  }

  @Get()
  list(@Query() query: PageQueryDto): { limit: number; after: unknown } {
    return { limit: query.limit, after: query.cursor === undefined ? null : decodeCursor(query.cursor) };
  }

  @Get(':id')
  get(@Param('id') id: string, @Res({ passthrough: true }) res: HttpResponse): { id: string; version: number } {
    setVersion(res, 3);
    return { id, version: 3 };
  }

  @Roles('agency-admin')
  @Post()
  create(@Body() body: CreateThingDto): CreateThingDto {
    return body;
  }

  /** Counts the times it decided (idempotency tests); `slow` holds the answer 300 ms, `fail` throws once. */
  @Post('counted')
  async counted(@Body() body: { slow?: boolean; fail?: boolean; name?: string }, @Res({ passthrough: true }) res: HttpResponse): Promise<{ n: number; name: string | null }> {
    if (body.slow) await new Promise((r) => setTimeout(r, 300));
    if (body.fail && !failedOnce.has(body.name ?? '')) {
      failedOnce.add(body.name ?? '');
      throw new Error('failed once');
    }
    decided.n++;
    res.setHeader('Location', `/things/counted/${decided.n}`);
    setVersion(res, 1);
    return { n: decided.n, name: body.name ?? null };
  }

  /** Creates `count` things (ids only), the way a creation route makes its ids: across an await. */
  @Post('made')
  async made(@Body() body: { count?: number }, @Res({ passthrough: true }) res: HttpResponse): Promise<{ ids: string[] }> {
    const ids = [newId()];
    await new Promise((r) => setTimeout(r, 5));
    while (ids.length < (body.count ?? 1)) ids.push(newId());
    res.setHeader('Location', `/things/${ids[0]}`);
    return { ids };
  }

  @Roles('agency-admin', 'assistant')
  @Put(':id')
  update(@Headers('if-match') ifMatch?: string): { expectedVersion: number | null } {
    return { expectedVersion: parseIfMatch(ifMatch) ?? null };
  }
}

/** How many times POST /things/counted decided. */
export const decided = { n: 0 };
const failedOnce = new Set<string>();

@Module({ controllers: [ThingsController] })
export class ThingsModule {}
