import { addDays, type WorkingHoursV1 } from '@vaops/contracts';
import { slotRefusal, type SlotPolicy } from '../calendar/calendar.decider';
import type { Appointment } from '../calendar/calendar';
import { dayWindow } from '../shared/time';

export const MEETING_MINUTES = 30;

/** Hours assumed for an assistant who declared none: 09:00-17:00 on weekdays, in their zone. */
const OFFICE_HOURS: WorkingHoursV1[] = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));

const withHours = (p: SlotPolicy): SlotPolicy => ({ ...p, allowOutsideWorkingHours: false, workingHours: p.workingHours.length > 0 ? p.workingHours : OFFICE_HOURS });


/**
 * The handover meeting's slot (the rule the README documents): the latest day before `handoverOn`,
 * searching back to `today`, on which a 30-minute slot on the half hour lies within both assistants'
 * working hours and is free on both calendars (buffer included); failing that, the earliest such day
 * from `handoverOn` to the day before the outgoing engagement ends. Within a day, the earliest slot.
 * Days are the agency's. Null when there is none.
 */
export function meetingSlot(o: {
  handoverOn: string;
  endsOn: string;
  today: string;
  now: string;
  outgoing: { policy: SlotPolicy; appointments: Appointment[] };
  replacement: { policy: SlotPolicy; appointments: Appointment[] };
}): { startsAt: string; endsAt: string } | null {
  const days: string[] = [];
  for (let d = addDays(o.handoverOn, -1); d >= o.today; d = addDays(d, -1)) days.push(d);
  for (let d = o.handoverOn; d < o.endsOn; d = addDays(d, 1)) days.push(d);
  const [out, rep] = [withHours(o.outgoing.policy), withHours(o.replacement.policy)];
  for (const day of days) {
    const { from, to } = dayWindow(day, out.agencyZone);
    for (let s = Date.parse(from); s + MEETING_MINUTES * 60_000 <= Date.parse(to); s += 30 * 60_000) {
      const slot = { startsAt: new Date(s).toISOString(), endsAt: new Date(s + MEETING_MINUTES * 60_000).toISOString() };
      if (slotRefusal(slot, o.outgoing.appointments, null, out, o.now) === null && slotRefusal(slot, o.replacement.appointments, null, rep, o.now) === null) return slot;
    }
  }
  return null;
}
