import type { TimesheetActor } from '@vaops/contracts';
import type { Principal } from '@vaops/platform';

/** The side a caller acts for, as recorded on an approval or rejection. */
export const actorOf = (p: Principal): TimesheetActor => (p.role === 'agency-admin' ? 'agency' : p.role);
