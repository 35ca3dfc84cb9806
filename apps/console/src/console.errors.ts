import { defineErrors } from '@vaops/event-sourcing';

/** What the console answers when a service behind it fails it (the services' own codes pass through). */
export const ConsoleErrors = defineErrors('console', {
  serviceUnavailable: { code: 'CONSOLE.SERVICE_UNAVAILABLE', status: 502, meaning: 'a service the page needs did not answer' },
  badAnswer: { code: 'CONSOLE.BAD_ANSWER', status: 502, meaning: 'a service answered with something other than JSON' },
});
