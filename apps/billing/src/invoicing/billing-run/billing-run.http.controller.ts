import { Body, Controller, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@vaops/platform';
import { RUNTIME, type Runtime } from '../../runtime';
import { Payouts } from '../../payouts/payout-streams';
import { runBilling } from '../billing-run';
import { Invoices } from '../invoices';
import { BillingRunRequest } from './billing-run.request.dto';

/** A billing run: every client's invoice and every assistant's payout of a month, drafted once. */
@ApiTags('invoices')
@Controller()
export class BillingRunController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly invoices: Invoices,
    private readonly payouts: Payouts,
  ) {}

  @Post('billing-runs')
  @Roles('agency-admin')
  async run(@Body() body: BillingRunRequest, @CurrentPrincipal() p: Principal) {
    return runBilling(this.runtime, { invoices: this.invoices, payouts: this.payouts }, body.period, p);
  }
}
