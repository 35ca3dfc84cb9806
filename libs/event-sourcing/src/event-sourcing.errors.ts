import { defineErrors } from './errors';

export const EventSourcingErrors = defineErrors('event-sourcing', {
  concurrencyConflict: {
    code: 'CONCURRENCY.CONFLICT',
    kind: 'conflict',
    meaning: 'the stream changed since it was read: an If-Match that is stale, or a race lost more times than retried',
  },
});
