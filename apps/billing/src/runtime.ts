import type { EventSourcedRuntime } from '@vaops/platform';

export { RUNTIME } from '@vaops/platform';
export type Runtime = EventSourcedRuntime;
