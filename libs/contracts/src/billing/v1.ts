import type { Money } from '../money';

/**
 * Public events of the billing service, schema version 1. Documented in docs/events.md and docs/billing.md.
 * Streams: `invoice-<agencyId>-<clientId>-<period>` (one invoice per client and period, decided at its
 * version), `invoice-numbering-<agencyId>` (gap-free numbers), `payouts-<agencyId>-<assistantId>-<period>`.
 * Adding an optional field keeps the version; anything else is a new version beside this one.
 */

export interface InvoiceLineV1 {
  engagementId: string;
  description: string;
  amount: Money;
  /** Billed minutes the line charges (0 for a flat fee); actual time stays in time-tracking. */
  billedMinutes: number;
}

export interface InvoiceDraftedV1 {
  invoiceId: string;
  clientId: string;
  /**
   * YYYY-MM, calendar month in the agency's zone.
   * @pattern ^\d{4}-(0[1-9]|1[0-2])$
   */
  period: string;
  currency: string;
  lines: InvoiceLineV1[];
  total: Money;
}

export interface InvoiceIssuedV1 {
  invoiceId: string;
  clientId: string;
  period: string;
  /** Gap-free per agency: `INV-<year>-<6 digits>`. */
  number: string;
  issuedAt: string;
  total: Money;
}

export interface InvoicePaidV1 {
  invoiceId: string;
  clientId: string;
  paidAt: string;
  amount: Money;
}

export interface InvoiceVoidedV1 {
  invoiceId: string;
  clientId: string;
  reason: string;
  voidedAt: string;
}

export interface CreditNoteIssuedV1 {
  creditNoteId: string;
  invoiceId: string;
  clientId: string;
  /** Positive amount credited against the invoice. */
  amount: Money;
  reason: string;
  issuedAt: string;
}

export interface PayoutComputedV1 {
  assistantId: string;
  period: string;
  billedMinutes: number;
  amount: Money;
}
