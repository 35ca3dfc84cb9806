import type { PersonalData } from '../personal-data';
import type { CreditNoteIssuedV1, InvoiceVoidedV1 } from './v1';

/*
 * Billing's free text, schema version 2 (published since issue 15, item 4): why an invoice was voided
 * or credited may name the client's circumstances, so it is encrypted under the client's key and
 * unreadable once the client contact is erased; amounts and dates stay. The v1 events carried
 * plaintext; they are upcast on read, their text sealed by the consumer.
 */

export interface InvoiceVoidedV2 extends Omit<InvoiceVoidedV1, 'reason'> {
  reason: PersonalData;
}

export interface CreditNoteIssuedV2 extends Omit<CreditNoteIssuedV1, 'reason'> {
  reason: PersonalData;
}
