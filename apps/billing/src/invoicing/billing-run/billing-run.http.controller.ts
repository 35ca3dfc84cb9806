import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@vaops/platform';
import { BillingRun } from '../billing-run';
import { BillingRunRequest } from './billing-run.request.dto';

/** A billing run: every client's invoice and every assistant's payout of a month, drafted once. */
@ApiTags('invoices')
@Controller()
export class BillingRunController {
  constructor(private readonly billingRun: BillingRun) {}

  @Post('billing-runs')
  @Roles('agency-admin')
  async run(@Body() body: BillingRunRequest, @CurrentPrincipal() p: Principal) {
    return this.billingRun.run(body.period, p);
  }
}
