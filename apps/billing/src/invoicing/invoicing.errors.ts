import { defineErrors } from '@vaops/event-sourcing';

/** How billing refuses to change an invoice, and what a billing run reports for a client it could not bill. */
export const InvoicingErrors = defineErrors('billing/invoicing', {
  notFound: { code: 'INVOICE.NOT_FOUND', kind: 'not-found', meaning: 'no such invoice, or not one the caller may see' },
  notDraft: { code: 'INVOICE.NOT_DRAFT', kind: 'rule', meaning: 'only a draft is issued' },
  notIssued: { code: 'INVOICE.NOT_ISSUED', kind: 'rule', meaning: 'only an issued invoice is paid; only an issued or paid one gets a credit note' },
  paid: { code: 'INVOICE.PAID', kind: 'rule', meaning: 'a paid invoice is not voided: issue a credit note' },
  creditNoteExceedsInvoice: { code: 'CREDIT_NOTE.EXCEEDS_INVOICE', kind: 'rule', meaning: "credit notes together may not exceed the invoice's total" },
  calculationFailed: { code: 'INVOICE.CALCULATION_FAILED', status: null, meaning: "a client's invoice could not be calculated: listed in a billing run's `failed`, the run goes on" },
});
