import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, decodeCursor, setVersion, toPage, type HeaderSink, type Principal } from '@vaops/platform';
import { CLIENTS, type ClientDoc } from '../../facts/clients-facts.projection';
import { RUNTIME, type Runtime } from '../../runtime';
import { PERIOD } from '../calculation';
import { invoiceView, loadInvoice } from '../context';
import { Invoices } from '../invoices';
import { INVOICES, INVOICES_PROJECTION, type InvoiceDoc } from '../invoices.projection';
import { renderInvoiceHtml } from './invoice.html';
import { InvoicesQuery } from './invoice-details.request.dto';

/** An invoice list's position: its period and id (the list's order). */
const isInvoicePosition = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && PERIOD.test(v[0]) && typeof v[1] === 'string' && v[1].length <= 100;

/** Invoices as the agency and each client see them: the list, one invoice, its printable page. */
@ApiTags('invoices')
@Controller()
export class InvoiceDetailsController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly invoices: Invoices,
  ) {}

  @Get('invoices')
  @Roles('agency-admin', 'client')
  async list(@Query() q: InvoicesQuery, @CurrentPrincipal() p: Principal) {
    await this.runtime.waitForProjection(INVOICES_PROJECTION, q.minPosition);
    const filter: Record<string, unknown> = { agencyId: p.agencyId };
    if (p.role === 'client') {
      if (q.clientId && q.clientId !== p.clientId) return { items: [], nextCursor: null };
      filter.clientId = p.clientId;
    } else if (q.clientId) filter.clientId = q.clientId;
    if (q.period) filter.period = q.period;
    if (q.status) filter.status = q.status;
    if (q.cursor) {
      const [period, id] = decodeCursor(q.cursor, isInvoicePosition);
      filter.$or = [{ period: { $gt: period } }, { period, _id: { $gt: id } }];
    }
    // paged when asked (limit or cursor); without them every match, as callers before paging had it
    const limit = q.limit ?? (q.cursor ? 50 : undefined);
    const found = this.runtime.db.collection<InvoiceDoc>(INVOICES).find(filter).sort({ period: 1, _id: 1 });
    const docs = await (limit ? found.limit(limit + 1) : found).toArray();
    const views = docs.map((d) => invoiceView({ invoiceId: d._id, clientId: d.clientId, period: d.period, currency: d.currency, lines: d.lines, total: d.total }, d.status, d.number, d.creditedMinor, d._v));
    return limit ? toPage(views, limit, (last) => [last.period, last.id]) : { items: views, nextCursor: null };
  }

  @Get('invoices/:id')
  @Roles('agency-admin', 'client')
  async get(@Param('id') id: string, @CurrentPrincipal() p: Principal, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const { state, version } = await loadInvoice(this.runtime, this.invoices, id, p);
    const view = invoiceView(state.invoice!, state.status!, state.number, state.creditedMinor, version);
    setVersion(res, version);
    if (accept && /text\/html/.test(accept) && !/application\/json/.test(accept.split(',')[0])) {
      const client = await this.runtime.db.collection<ClientDoc>(CLIENTS).findOne({ _id: view.clientId });
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      return renderInvoiceHtml(view, client?.name ?? null);
    }
    return view;
  }
}
