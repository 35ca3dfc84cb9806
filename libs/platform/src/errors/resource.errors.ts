import { defineErrors } from '@vaops/event-sourcing';

/**
 * The clients service's people and engagements, which every service serves from its own read models:
 * declared here once, so that each service answers them with the same code.
 */
export const ResourceErrors = defineErrors('resources', {
  clientNotFound: { code: 'CLIENT.NOT_FOUND', kind: 'not-found', meaning: 'no such client, not one the caller may see, or not known to this service yet' },
  assistantNotFound: { code: 'ASSISTANT.NOT_FOUND', kind: 'not-found', meaning: 'no such assistant, not one the caller may see, or not known to this service yet' },
  engagementNotFound: { code: 'ENGAGEMENT.NOT_FOUND', kind: 'not-found', meaning: 'no such engagement, not one the caller may see, or not known to this service yet' },
});
