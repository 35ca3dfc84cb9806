import type { EventSourcedRuntime } from '@vaops/platform';

export { RUNTIME, topicPrefix } from '@vaops/platform';
export type Runtime = EventSourcedRuntime;
