import type { EventSourcedRuntime } from '@vaops/platform';

export { RUNTIME } from '@vaops/platform';
/** Consumer-only: the read models and Kafka, no event store. */
export type Runtime = EventSourcedRuntime;
