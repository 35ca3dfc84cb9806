import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ConcurrencyConflictError, newId, type Clock } from '@vaops/event-sourcing';
import { CLOCK, CurrentPrincipal, Roles, ValidationFailedError, decodeCursor, parseIfMatch, setVersion, toPage, type Current, type HeaderSink, type Principal } from '@vaops/platform';
import { CLIENTS, agencyZone, type ClientDoc } from '../facts/clients-facts.projection';
import { RUNTIME, type Runtime } from '../runtime';
import { runBilling } from './billing-run';
import { PERIOD } from './calculation';
import { invoiceIn, invoiceIndex, invoiceView, loadInvoice } from './context';
import type { InvoiceState } from './invoice';
import type { InvoiceCommand } from './invoice.decider';
import { InvoiceNumbering, Invoices, MANY_WRITERS } from './invoices';
import { Payouts } from '../payouts/payout-streams';
import { renderInvoiceHtml } from './invoice.html';
import { INVOICES, INVOICES_PROJECTION, type InvoiceDoc } from './invoices.projection';
import { BillingRunRequest, CreditNoteRequest, InvoicesQuery, VoidRequest } from './invoices.request.dto';

/** An invoice list's position: its period and id (the list's order). */
const isInvoicePosition = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && PERIOD.test(v[0]) && typeof v[1] === 'string' && v[1].length <= 100;

/** The If-Match version; a malformed header is refused in the command function, after a 404. */
function ifMatchOrNothing(ifMatch: string | undefined): number | undefined {
  try {
    return parseIfMatch(ifMatch);
  } catch {
    return undefined;
  }
}

/** Billing runs and the invoice lifecycle: draft, issued (gap-free number), paid, void; credit notes. */
@ApiTags('invoices')
@Controller()
export class InvoicesController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly invoices: Invoices,
    private readonly numbering: InvoiceNumbering,
    private readonly payouts: Payouts,
  ) {}

  /** The injected clock, as every service reads it (a test clock where one is configured). */
  private now(): string {
    return this.clock.now().toISOString();
  }

  @Post('billing-runs')
  @Roles('agency-admin')
  async run(@Body() body: BillingRunRequest, @CurrentPrincipal() p: Principal) {
    return runBilling(this.runtime, { invoices: this.invoices, payouts: this.payouts }, body.period, p);
  }

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

  /**
   * With If-Match, decided at that version of the invoice (stale: 409); without, on the latest. The
   * agency's only (@Roles on each route). `build` makes the command from the invoice each attempt decides on.
   */
  private async write(id: string, p: Principal, res: HeaderSink, ifMatch: string | undefined, build: (invoice: Current<InvoiceState>, streamId: string) => InvoiceCommand | Promise<InvoiceCommand>) {
    const { streamId } = await invoiceIndex(this.runtime, id, p);
    const expectedVersion = ifMatchOrNothing(ifMatch);
    const r = await this.invoices.execute(
      streamId,
      (current) => {
        const invoice = invoiceIn(current, id);
        parseIfMatch(ifMatch); // a malformed If-Match is a 400 after the 404, as it always was
        return build(invoice, streamId);
      },
      p,
      { expectedVersion, retries: MANY_WRITERS },
    );
    setVersion(res, r.nextVersion);
    return { ...invoiceView(r.state.invoice!, r.state.status!, r.state.number, r.state.creditedMinor, r.nextVersion), position: r.lastPosition };
  }

  @Post('invoices/:id/issue')
  @HttpCode(200)
  @Roles('agency-admin')
  async issue(@Param('id') id: string, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    return this.write(id, p, res, ifMatch, async ({ state, version }) => {
      // a stale If-Match is refused before a number is drawn (a drawn number is never given back)
      const expected = parseIfMatch(ifMatch);
      if (expected !== undefined && expected !== version) throw new ConcurrencyConflictError(id, expected, version);
      if (state.status !== 'draft') return { type: 'Issue', data: { number: state.number ?? '', issuedAt: this.now() } };
      // the number is decided on the agency's numbering stream at its version: never shared, never
      // skipped; drawn again after a lost race, it is the same (assigning is idempotent per invoice)
      const zone = await agencyZone(this.runtime.db, p.agencyId);
      const now = this.clock.now();
      const year = Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric' }).format(now));
      const n = await this.numbering.execute(p.agencyId, { type: 'Assign', data: { invoiceId: id, year } }, p, { retries: MANY_WRITERS });
      return { type: 'Issue', data: { number: n.state.byInvoice[id], issuedAt: now.toISOString() } };
    });
  }

  @Post('invoices/:id/pay')
  @HttpCode(200)
  @Roles('agency-admin')
  async pay(@Param('id') id: string, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    return this.write(id, p, res, ifMatch, () => ({ type: 'Pay', data: { paidAt: this.now() } }));
  }

  @Post('invoices/:id/void')
  @HttpCode(200)
  @Roles('agency-admin')
  async void(@Param('id') id: string, @Body() body: VoidRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    return this.write(id, p, res, ifMatch, () => ({ type: 'Void', data: { reason: body.reason, voidedAt: this.now() } }));
  }

  @Post('invoices/:id/credit-notes')
  @Roles('agency-admin')
  async creditNote(@Param('id') id: string, @Body() body: CreditNoteRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const creditNoteId = newId();
    const r = await this.write(id, p, res, undefined, ({ state, version }, streamId) => {
      if (body.amount.currency !== state.invoice!.currency) throw new ValidationFailedError([{ field: 'amount.currency', message: `must be the invoice's currency ${state.invoice!.currency}` }]);
      // a retried request (its credit note exists) is past its If-Match: the decider finds nothing to do
      const expected = state.creditNoteIds.includes(creditNoteId) ? undefined : parseIfMatch(ifMatch);
      if (expected !== undefined && expected !== version) throw new ConcurrencyConflictError(streamId, expected, version);
      return { type: 'CreditNote', data: { creditNoteId, amountMinor: body.amount.amountMinor, reason: body.reason, issuedAt: this.now() } };
    });
    return { ...r, creditNoteId };
  }
}
