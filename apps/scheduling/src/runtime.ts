import type { EventSourcedRuntime, Principal } from '@vaops/platform';
import type { AppointmentActor } from '@vaops/contracts';

export { RUNTIME } from '@vaops/platform';
export type Runtime = EventSourcedRuntime;

/** The side a caller acts for, as recorded on a reschedule or cancellation. */
export const actorOf = (p: Principal): AppointmentActor => (p.role === 'agency-admin' ? 'agency' : p.role);
