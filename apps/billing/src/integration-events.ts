import { versionFor, type EventEnvelope } from '@vaops/contracts';
import { integrationEnvelope, type StoredEvent } from '@vaops/event-sourcing';
import type { InvoiceEvent } from './invoicing/invoice';
import type { NumberingEvent } from './invoicing/numbering';
import type { PayoutEvent } from './payouts/payout';

/**
 * The one place where the billing service's domain events become public contracts (libs/contracts/src/billing,
 * documented in docs/events.md). The numbering stream stays private.
 */
export function toIntegrationEvent(stored: StoredEvent): EventEnvelope | null {
  const event = { type: stored.type, data: stored.data } as InvoiceEvent | NumberingEvent | PayoutEvent;
  switch (event.type) {
    case 'InvoiceVoided':
    case 'CreditNoteIssued':
      // published as v2, the reason encrypted under the client's key; plaintext stored before: v1
      return integrationEnvelope(stored, { ...event.data }, versionFor(1, event.data.reason));
    case 'InvoiceDrafted':
    case 'InvoiceIssued':
    case 'InvoicePaid':
    case 'PayoutComputed':
      return integrationEnvelope(stored, { ...event.data });
    case 'InvoiceNumberAssigned':
      return null;
    default: {
      const _exhaustive: never = event;
      return null;
    }
  }
}
