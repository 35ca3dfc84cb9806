import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ConcurrencyConflictError, newId, type Clock } from '@vaops/event-sourcing';
import { CLOCK, CurrentPrincipal, PersonKeys, Roles, ValidationFailedError, ifMatchOrNothing, parseIfMatch, setVersion, type Current, type HeaderSink, type Principal } from '@vaops/platform';
import { BillingFacts } from '../../facts/clients-facts.projection';
import { invoiceIn, invoiceView } from '../context';
import { InvoiceIndex } from '../invoice-index';
import type { InvoiceState } from '../invoice';
import type { InvoiceCommand } from '../invoice.decider';
import { InvoiceNumbering, Invoices, MANY_WRITERS } from '../invoices';
import { CreditNoteRequest, VoidRequest } from './invoice-lifecycle.request.dto';

/** The invoice lifecycle, the agency's only: draft, issued (gap-free number), paid, void; credit notes. */
@ApiTags('invoices')
@Controller()
export class InvoiceLifecycleController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly invoices: Invoices,
    private readonly numbering: InvoiceNumbering,
    private readonly invoiceIndex: InvoiceIndex,
    private readonly facts: BillingFacts,
    private readonly keys: PersonKeys,
  ) {}

  /** Why an invoice is voided or credited, encrypted under the client's key (erasing the client contact makes it unreadable). */
  private reason(state: InvoiceState, text: string) {
    return this.keys.sealOrErase(state.invoice!.clientId, text);
  }

  /** The injected clock, as every service reads it (a test clock where one is configured). */
  private now(): string {
    return this.clock.now().toISOString();
  }

  /**
   * With If-Match, decided at that version of the invoice (stale: 409); without, on the latest. The
   * agency's only (@Roles on each route). `build` makes the command from the invoice each attempt decides on.
   */
  private async write(id: string, p: Principal, res: HeaderSink, ifMatch: string | undefined, build: (invoice: Current<InvoiceState>, streamId: string) => InvoiceCommand | Promise<InvoiceCommand>) {
    const { streamId } = await this.invoiceIndex.visibleTo(id, p);
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
      const zone = await this.facts.agencyZone(p.agencyId);
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
    return this.write(id, p, res, ifMatch, async ({ state }) => ({ type: 'Void', data: { reason: await this.reason(state, body.reason), voidedAt: this.now() } }));
  }

  @Post('invoices/:id/credit-notes')
  @Roles('agency-admin')
  async creditNote(@Param('id') id: string, @Body() body: CreditNoteRequest, @CurrentPrincipal() p: Principal, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: HeaderSink) {
    const creditNoteId = newId();
    const r = await this.write(id, p, res, undefined, async ({ state, version }, streamId) => {
      if (body.amount.currency !== state.invoice!.currency) throw new ValidationFailedError([{ field: 'amount.currency', message: `must be the invoice's currency ${state.invoice!.currency}` }]);
      // a retried request (its credit note exists) is past its If-Match: the decider finds nothing to do
      const expected = state.creditNoteIds.includes(creditNoteId) ? undefined : parseIfMatch(ifMatch);
      if (expected !== undefined && expected !== version) throw new ConcurrencyConflictError(streamId, expected, version);
      return { type: 'CreditNote', data: { creditNoteId, amountMinor: body.amount.amountMinor, reason: await this.reason(state, body.reason), issuedAt: this.now() } };
    });
    return { ...r, creditNoteId };
  }
}
