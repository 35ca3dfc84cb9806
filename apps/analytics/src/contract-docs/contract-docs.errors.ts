import { defineErrors } from '@vaops/event-sourcing';

/** The published event schemas analytics serves under /docs/events. */
export const ContractDocsErrors = defineErrors('analytics/contract-docs', {
  schemaNotFound: { code: 'SCHEMA.NOT_FOUND', kind: 'not-found', meaning: 'no published JSON Schema for that service, event type and version' },
});
