import type { AppointmentActor, AppointmentBookedV2, AppointmentRescheduledV2, PersonalData } from '@vaops/contracts';
import { upTo, type HistoryItem } from '@vaops/platform';
import type { AppointmentChange, AppointmentDoc } from '../appointments/appointments.projection';
import type { EngagementPartiesDoc } from '@vaops/facts';

/**
 * One change of an appointment as its history keeps it: the item, and the calendar stream version it
 * came from. Its reason (and a booking's title, among its changes) stays encrypted under the
 * engagement's key: the routes decrypt it when they answer.
 */
export interface AppointmentHistoryEntry extends AppointmentHistoryItem {
  v: number;
}

/** A history item whose reason is encrypted under the engagement's key. */
export type AppointmentHistoryItem = HistoryItem<PersonalData>;

/** `_id` is the appointment id: every change of one appointment, in the order they were decided. */
/** `_v`: the calendar stream's version (the stream holds every appointment of the assistant). */
export interface AppointmentHistoryDoc extends EngagementPartiesDoc {
  items: AppointmentHistoryEntry[];
}

/** The fields of an appointment event that only say which appointment it is: kept on the document, not in each change. */
export const APPOINTMENT_IDENTITY = ['appointmentId', 'engagementId', 'assistantId', 'clientId'] as const;

/** The changes as the route lists them (without the stream versions). */
export const historyItems = (doc: AppointmentHistoryDoc): AppointmentHistoryItem[] => doc.items.map(({ v: _v, ...item }) => item);

/**
 * The appointment as it stood at `asOf`, folded from its changes up to that instant the way the
 * appointments read model applies them (so the answer has today's shape): null when it was not booked yet.
 */
export function appointmentAt(doc: AppointmentHistoryDoc, asOf: Date): AppointmentDoc | null {
  const items = upTo(doc.items, asOf, (i) => i.at);
  let a: AppointmentDoc | null = null;
  for (const i of items) {
    if (i.type === 'AppointmentBooked') {
      const c = i.changes as Omit<AppointmentBookedV2, (typeof APPOINTMENT_IDENTITY)[number]>;
      a = {
        _id: doc._id,
        _v: i.v,
        agencyId: doc.agencyId,
        engagementId: doc.engagementId,
        assistantId: doc.assistantId,
        clientId: doc.clientId,
        kind: c.kind,
        title: c.title,
        startsAt: c.startsAt,
        endsAt: c.endsAt,
        recurrence: c.recurrence,
        status: 'booked',
        late: false,
        changes: [],
        version: 1,
      };
      continue;
    }
    if (!a) continue;
    const c = i.changes as Partial<Pick<AppointmentRescheduledV2, 'startsAt' | 'endsAt' | 'late'>> & { by?: AppointmentActor };
    const change = (type: AppointmentChange['type']): AppointmentChange => ({ type, by: c.by!, late: c.late === true, reason: i.reason!, at: i.at });
    a = { ...a, _v: i.v, version: a.version + 1 };
    switch (i.type) {
      case 'AppointmentRescheduled':
        a = { ...a, startsAt: c.startsAt!, endsAt: c.endsAt!, late: a.late || c.late === true, changes: [...a.changes, change('rescheduled')] };
        break;
      case 'AppointmentCancelled':
        a = { ...a, status: 'cancelled', late: a.late || c.late === true, changes: [...a.changes, change('cancelled')] };
        break;
      case 'AppointmentKept':
        a = { ...a, status: 'kept' };
        break;
      case 'AppointmentNoShow':
        a = { ...a, status: 'no-show' };
        break;
      default:
        // a change this fold does not know (a newer event type): counted in the version, nothing else
        break;
    }
  }
  return a;
}
