import { EventSourcedRuntime, type Principal, type SystemActor } from '@vaops/platform';
import type { AppointmentActor } from '@vaops/contracts';

export const RUNTIME = Symbol('RUNTIME');
export type Runtime = EventSourcedRuntime;

/** Topics get this prefix so test runs on a shared broker never see each other's events. */
export const topicPrefix = (): string => process.env.VAOPS_TOPIC_PREFIX ?? '';

export const systemActor = (agencyId: string): SystemActor => ({ sub: 'system:calendar-scheduler', agencyId, role: 'system' });

/** The side a caller acts for, as recorded on a reschedule or cancellation. */
export const actorOf = (p: Principal): AppointmentActor => (p.role === 'agency-admin' ? 'agency' : p.role);
