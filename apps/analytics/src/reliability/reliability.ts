import type { AppointmentDoc } from '../facts/appointments.projection';
import type { Reliability } from '@vaops/contracts';

/** The scheduling service's reliability record (API.md `Reliability`), counted again here. */
export type { Reliability };

/**
 * An assistant's record, counted the way the scheduling service counts it: kept and no-show
 * appointments, and the reschedules and cancellations made by the assistant's side (the agency acting
 * for the assistant counts for the assistant; the client's and the system's never count against them).
 */
export function reliabilityOf(rows: Pick<AppointmentDoc, 'status' | 'changes'>[]): Reliability {
  const r: Reliability = { kept: 0, rescheduledInTime: 0, rescheduledLate: 0, cancelledInTime: 0, cancelledLate: 0, noShow: 0 };
  for (const a of rows) {
    if (a.status === 'kept') r.kept++;
    if (a.status === 'no-show') r.noShow++;
    for (const c of a.changes) {
      if (c.by !== 'assistant' && c.by !== 'agency') continue;
      if (c.type === 'rescheduled') r[c.late ? 'rescheduledLate' : 'rescheduledInTime']++;
      else r[c.late ? 'cancelledLate' : 'cancelledInTime']++;
    }
  }
  return r;
}
