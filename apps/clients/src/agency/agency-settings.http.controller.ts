import { Body, Controller, Get, Headers, Put, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import type { AgencySettingsChangedV1 } from '@vaops/contracts';
import { CurrentPrincipal, IsTimeZone, Roles, parseIfMatch, setVersion, type HeaderSink, type Principal } from '@vaops/platform';
import { Agencies } from './agencies';
import { agencySettingsOf } from './agency-settings';

export class AgencySettingsRequest {
  @ApiProperty({ example: 'America/New_York', description: 'billing periods, notice ends and working days are counted here' })
  @IsTimeZone()
  timezone!: string;

  @ApiProperty({ example: 24, description: 'reschedule or cancel later than this is recorded as late' })
  @IsInt()
  @Min(0)
  @Max(720)
  minimumNoticeHours!: number;

  @ApiProperty({ example: 0, description: "minutes kept free between an assistant's appointments" })
  @IsInt()
  @Min(0)
  @Max(240)
  bufferMinutes!: number;

  @ApiProperty({ enum: [0, 6, 15] })
  @IsIn([0, 6, 15])
  roundingMinutes!: 0 | 6 | 15;

  @ApiProperty({ enum: ['up', 'nearest'] })
  @IsIn(['up', 'nearest'])
  roundingMode!: 'up' | 'nearest';

  @ApiProperty({ example: 5, description: 'working days without any sign of life before EngagementWentSilent' })
  @IsInt()
  @Min(1)
  @Max(60)
  silenceWorkingDays!: number;
}

@ApiTags('agency')
@Controller('agency/settings')
export class AgencySettingsController {
  constructor(private readonly agencies: Agencies) {}

  @Get()
  async get(@CurrentPrincipal() p: Principal): Promise<AgencySettingsChangedV1> {
    return agencySettingsOf(this.agencies, p.agencyId);
  }

  @Put()
  @Roles('agency-admin')
  async put(@Body() body: AgencySettingsRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const settings: AgencySettingsChangedV1 = {
      timezone: body.timezone,
      minimumNoticeHours: body.minimumNoticeHours,
      bufferMinutes: body.bufferMinutes,
      roundingMinutes: body.roundingMinutes,
      roundingMode: body.roundingMode,
      silenceWorkingDays: body.silenceWorkingDays,
    };
    const r = await this.agencies.execute(p.agencyId, { type: 'ChangeSettings', data: settings }, p, { expectedVersion: parseIfMatch(ifMatch) });
    setVersion(res, r.nextVersion);
    return { ...settings, position: r.lastPosition };
  }
}
