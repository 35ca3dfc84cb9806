import { EventSourcedRuntime } from '@vaops/platform';

export const RUNTIME = Symbol('RUNTIME');
export type Runtime = EventSourcedRuntime;

/** Topics get this prefix so test runs on a shared broker never see each other's events. */
export const topicPrefix = (): string => process.env.VAOPS_TOPIC_PREFIX ?? '';
