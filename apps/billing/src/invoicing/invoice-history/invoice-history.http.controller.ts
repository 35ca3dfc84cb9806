import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ERASED_NAME } from '@vaops/contracts';
import { CurrentPrincipal, PersonKeys, Roles, historyItem, type HistoryItem, type Principal } from '@vaops/platform';
import { invoiceNotFound, InvoiceIndex } from '../invoice-index';
import { Invoices } from '../invoices';

/**
 * Every change of an invoice, read from its stream (one per agency, client and period, so it holds the
 * invoice's own few events): drafted, issued, paid, voided, credited, with who, when, why and the
 * command's correlation id. Scoped as `GET /invoices/:id`.
 */
@ApiTags('invoices')
@Controller('invoices/:id')
export class InvoiceHistoryController {
  constructor(
    private readonly invoices: Invoices,
    private readonly invoiceIndex: InvoiceIndex,
    private readonly keys: PersonKeys,
  ) {}

  @Get('history')
  @Roles('agency-admin', 'client')
  async history(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<{ items: HistoryItem[] }> {
    const index = await this.invoiceIndex.visibleTo(id, p);
    const events = await this.invoices.history(index.streamId, p.agencyId);
    if (!events) throw invoiceNotFound(id);
    // a void's or credit note's reason is encrypted under the client's key: '[erased]' once the client is
    return { items: (await this.keys.revealAll(events, ERASED_NAME)).map((e) => historyItem(e, ['invoiceId'])) };
  }
}
