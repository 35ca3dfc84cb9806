import type { TimesheetActor } from '@vaops/contracts';
import type { EventSourcedRuntime, Principal } from '@vaops/platform';

export { RUNTIME } from '@vaops/platform';
export type Runtime = EventSourcedRuntime;

/** The side a caller acts for, as recorded on an approval or rejection. */
export const actorOf = (p: Principal): TimesheetActor => (p.role === 'agency-admin' ? 'agency' : p.role);
