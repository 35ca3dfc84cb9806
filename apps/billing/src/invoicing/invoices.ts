import { Injectable } from '@nestjs/common';
import { aggregateFor } from '@vaops/platform';
import { invoiceDecider } from './invoice.decider';
import { numberingStreamId } from './numbering';
import { numberingDecider } from './numbering.decider';

/**
 * Invoice streams, by stream id: `invoiceStreamId(agency, client, period)` for a billing run, an
 * invoice id's entry in bl_invoice_index for a route.
 */
@Injectable()
export class Invoices extends aggregateFor(invoiceDecider, (streamId: string) => streamId) {}

/** Each agency's gap-free invoice numbering stream, by agency id. */
@Injectable()
export class InvoiceNumbering extends aggregateFor(numberingDecider, numberingStreamId) {}

/**
 * Lost races decided again on a billing stream: under many parallel writers on one stream (the
 * agency's numbering stream) the default is not enough, and giving up is never right.
 */
export const MANY_WRITERS = 50;
