import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ERASED_NAME } from '@vaops/contracts';
import { AsOfQueryDto, CurrentPrincipal, PersonKeys, Roles, decodeCursor, partyScope, setVersion, toPage, type HeaderSink, type Principal } from '@vaops/platform';
import { BillingFacts } from '../../facts/clients-facts.projection';
import { PERIOD } from '../calculation';
import { invoiceIn, invoiceView, loadInvoice, type LoadedInvoice } from '../context';
import { InvoiceIndex } from '../invoice-index';
import { Invoices } from '../invoices';
import { InvoicesReadModel } from '../invoices.projection';
import { renderInvoiceHtml } from './invoice.html';
import { InvoicesQuery } from './invoice-details.request.dto';

/** An invoice list's position: its period and id (the list's order). */
const isInvoicePosition = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && PERIOD.test(v[0]) && typeof v[1] === 'string' && v[1].length <= 100;

/** Invoices as the agency and each client see them: the list, one invoice, its printable page. */
@ApiTags('invoices')
@Controller()
export class InvoiceDetailsController {
  constructor(
    private readonly invoices: Invoices,
    private readonly invoiceViews: InvoicesReadModel,
    private readonly invoiceIndex: InvoiceIndex,
    private readonly facts: BillingFacts,
    private readonly keys: PersonKeys,
  ) {}

  @Get('invoices')
  @Roles('agency-admin', 'client')
  async list(@Query() q: InvoicesQuery, @CurrentPrincipal() p: Principal) {
    await this.invoiceViews.waitFor(q.minPosition);
    const scope = partyScope(q, p);
    if (!scope) return { items: [], nextCursor: null };
    const after = q.cursor ? decodeCursor(q.cursor, isInvoicePosition) : undefined;
    // paged when asked (limit or cursor); without them every match, as callers before paging had it
    const limit = q.limit ?? (q.cursor ? 50 : undefined);
    const docs = await this.invoiceViews.list(p.agencyId, { clientId: scope.clientId, period: q.period, status: q.status, after }, limit);
    const views = docs.map((d) => invoiceView({ invoiceId: d._id, clientId: d.clientId, period: d.period, currency: d.currency, lines: d.lines, total: d.total }, d.status, d.number, d.creditedMinor, d._v));
    return limit ? toPage(views, limit, (last) => [last.period, last.id]) : { items: views, nextCursor: null };
  }

  /** With `asOf`, the invoice as it stood then, folded from its stream (404 before it was drafted). */
  @Get('invoices/:id')
  @Roles('agency-admin', 'client')
  async get(@Param('id') id: string, @Query() q: AsOfQueryDto, @CurrentPrincipal() p: Principal, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const { state, version } = q.asOf === undefined ? await loadInvoice(this.invoiceIndex, this.invoices, id, p) : await this.asOf(id, p, new Date(q.asOf));
    const view = invoiceView(state.invoice!, state.status!, state.number, state.creditedMinor, version);
    setVersion(res, version);
    if (accept && /text\/html/.test(accept) && !/application\/json/.test(accept.split(',')[0])) {
      const client = await this.facts.client(view.clientId);
      // the name is kept encrypted under the client's key: an erased client prints as erased, the amounts stay
      const name = client?.name ? ((await this.keys.reveal(client.name)) ?? ERASED_NAME) : null;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      return renderInvoiceHtml(view, name);
    }
    return view;
  }

  private async asOf(id: string, p: Principal, asOf: Date): Promise<Omit<LoadedInvoice, 'index'>> {
    const index = await this.invoiceIndex.visibleTo(id, p);
    return invoiceIn(await this.invoices.loadAsOf(index.streamId, p.agencyId, asOf), id);
  }
}
